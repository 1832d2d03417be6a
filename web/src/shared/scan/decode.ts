/**
 * QR and barcode decoding for every code input (issue 16), with ZXing (`@zxing/browser`), loaded on first use so
 * pages that never scan do not download it. Works where the browser has no BarcodeDetector; where it has one, the
 * native detector is tried first (faster on Android), then ZXing.
 */
type Detector = { detect(i: ImageBitmapSource): Promise<{ rawValue: string }[]> };
type DetectorCtor = new (o: { formats: string[] }) => Detector;

const reader = () => import('@zxing/browser').then(({ BrowserMultiFormatReader }) => new BrowserMultiFormatReader());

async function nativeDecode(blob: Blob): Promise<string | null> {
  const Ctor = (window as unknown as { BarcodeDetector?: DetectorCtor }).BarcodeDetector;
  if (!Ctor) return null;
  try {
    const found = await new Ctor({ formats: ['qr_code', 'code_128', 'ean_13', 'data_matrix'] }).detect(
      await createImageBitmap(blob),
    );
    return found[0]?.rawValue ?? null;
  } catch {
    return null;
  }
}

/** Decodes the code in a photo (a label photographed with the camera, or a saved image). null: none found. */
export async function decodeImage(blob: Blob): Promise<string | null> {
  const native = await nativeDecode(blob);
  if (native) return native;
  const url = URL.createObjectURL(blob);
  try {
    const r = await (await reader()).decodeFromImageUrl(url);
    return r.getText();
  } catch {
    return null;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Live scanning from the back camera into `video`; calls `onCode` once with the first code, then stops. */
export async function scanCamera(video: HTMLVideoElement, onCode: (code: string) => void): Promise<() => void> {
  let done = false;
  const controls = await (await reader()).decodeFromConstraints(
    { video: { facingMode: { ideal: 'environment' } } },
    video,
    (result, _err, c) => {
      if (result && !done) {
        done = true;
        c.stop();
        onCode(result.getText());
      }
    },
  );
  return () => controls.stop();
}
