/**
 * Drawing a label (QR code + Chinese lines) to a 1-bit raster, and sending TSPL / ESC/POS jobs over Web Bluetooth
 * or Web Serial where the browser has them (Chrome/Edge on Android and desktop). See labels.ts for the bytes.
 */
import QRCode from 'qrcode';
import { type Bitmap, chunks, DOTS_PER_MM, escpos, LABEL_MM, type LabelSize, threshold, tspl } from './labels';

export type Protocol = 'tspl' | 'escpos';
export type Transport = 'bluetooth' | 'serial';

/** Draws the label: the QR code on the left, the lines (first one bold) on the right, at 203 dpi. */
export function renderLabel(size: LabelSize, qrText: string, lines: string[]): Bitmap {
  const { w, h } = LABEL_MM[size];
  const width = w * DOTS_PER_MM;
  const height = h * DOTS_PER_MM;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d');
  if (!g) throw new Error('canvas unavailable');
  g.fillStyle = '#fff';
  g.fillRect(0, 0, width, height);
  const margin = 2 * DOTS_PER_MM;
  const qr = QRCode.create(qrText, { errorCorrectionLevel: 'M' }).modules;
  const side = height - 2 * margin;
  const cell = Math.floor(side / qr.size);
  g.fillStyle = '#000';
  for (let y = 0; y < qr.size; y++)
    for (let x = 0; x < qr.size; x++)
      if (qr.data[y * qr.size + x]) g.fillRect(margin + x * cell, margin + y * cell, cell, cell);
  const left = margin * 2 + qr.size * cell;
  const room = width - left - margin;
  const fontPx = size === '60x40' ? 30 : 22;
  let y = margin + fontPx;
  lines.forEach((line, i) => {
    g.font = `${i === 0 ? 'bold ' : ''}${fontPx}px "Noto Sans CJK SC","Microsoft YaHei",sans-serif`;
    let text = line;
    while (text.length > 1 && g.measureText(text).width > room) text = text.slice(0, -1);
    if (y <= height - margin) g.fillText(text, left, y);
    y += fontPx + 6;
  });
  return threshold(g.getImageData(0, 0, width, height).data, width, height);
}

export function printJob(protocol: Protocol, bmp: Bitmap, size: LabelSize, copies: number): Uint8Array {
  return protocol === 'tspl' ? tspl(bmp, size, copies) : escpos(bmp, copies);
}

interface SerialPortLike {
  open(o: { baudRate: number }): Promise<void>;
  close(): Promise<void>;
  writable: WritableStream<Uint8Array> | null;
}
interface GattCharacteristic {
  properties: { write: boolean; writeWithoutResponse: boolean };
  writeValueWithoutResponse(v: BufferSource): Promise<void>;
  writeValue(v: BufferSource): Promise<void>;
}
interface BluetoothLike {
  requestDevice(o: object): Promise<{
    gatt?: {
      connect(): Promise<{
        getPrimaryServices(): Promise<{ getCharacteristics(): Promise<GattCharacteristic[]> }[]>;
        disconnect(): void;
      }>;
    };
  }>;
}
const nav = () =>
  navigator as Navigator & { serial?: { requestPort(): Promise<SerialPortLike> }; bluetooth?: BluetoothLike };

/** Which transports this browser offers. */
export function transports(): Transport[] {
  const n = nav();
  return [...(n.bluetooth ? (['bluetooth'] as const) : []), ...(n.serial ? (['serial'] as const) : [])];
}

/** Services of common Chinese BLE label/receipt printers (they expose a write characteristic under one of these). */
const PRINTER_SERVICES = [
  '000018f0-0000-1000-8000-00805f9b34fb',
  'e7810a71-73ae-499d-8c15-faa9aef0c3f2',
  '49535343-fe7d-4ae5-8fa9-9fafd205e455',
  '0000ff00-0000-1000-8000-00805f9b34fb',
  '0000fee7-0000-1000-8000-00805f9b34fb',
];

/** Sends the bytes to a printer the user picks (the browser's own chooser). */
export async function send(transport: Transport, bytes: Uint8Array): Promise<void> {
  const n = nav();
  if (transport === 'serial') {
    if (!n.serial) throw new Error('Web Serial unavailable');
    const port = await n.serial.requestPort();
    await port.open({ baudRate: 9600 });
    try {
      const writer = port.writable?.getWriter();
      if (!writer) throw new Error('port not writable');
      await writer.write(bytes);
      writer.releaseLock();
    } finally {
      await port.close();
    }
    return;
  }
  if (!n.bluetooth) throw new Error('Web Bluetooth unavailable');
  const device = await n.bluetooth.requestDevice({ acceptAllDevices: true, optionalServices: PRINTER_SERVICES });
  const server = await device.gatt?.connect();
  if (!server) throw new Error('no GATT server');
  try {
    let target: GattCharacteristic | undefined;
    for (const service of await server.getPrimaryServices()) {
      target = (await service.getCharacteristics()).find(
        (c) => c.properties.writeWithoutResponse || c.properties.write,
      );
      if (target) break;
    }
    if (!target) throw new Error('no writable characteristic');
    for (const part of chunks(bytes)) {
      const copy = new Uint8Array(part);
      if (target.properties.writeWithoutResponse) await target.writeValueWithoutResponse(copy);
      else await target.writeValue(copy);
    }
  } finally {
    server.disconnect();
  }
}
