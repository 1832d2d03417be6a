import { ApiError } from '../../shared/api';

export interface Product { id: string; name: string; industry: string; unit: string; keyProduct: string | null; certifications: { type: string; typeName: string; number: string; validTo: string | null }[] }
export interface Base { id: string; name: string; divisionCode: string; divisionName: string | null; area: number | null; areaUnit: string; method: string | null }
export interface Batch {
  id: string; batchNo: string; productId: string; productName: string; baseName: string | null; originName: string | null; quantity: number; unit: string; stock: number;
  status: string; statusName: string; producedAt: string; selfCheck: string; code: string | null; codeUrl: string | null; allowedActions: string[];
  warnings: { code: string; message: string; messageEn: string }[]; subjectName: string;
}
export interface TraceEvent { eventId: string; type: string; bizStep: string; stage: string; eventTime: string; qtyDelta: number; corrects: string | null }
export interface Certificate { id: string; number: string; style: string; styleName: string; productName: string; quantity: number; unit: string; origin: string; issuedAt: string; basis: { code: string; text: string }[]; promises: { code: string; text: string }[]; qrText: string; verifyUrl: string; code: string | null }

/** POSTs JSON and saves the binary answer (label PDFs are made by a POST: printing unique labels issues codes). */
export async function postDownload(path: string, body: unknown, fallbackName: string): Promise<void> {
  const res = await fetch(`/api/v1${path}`, { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) {
    const data = await res.json().catch(() => undefined);
    throw new ApiError(data?.code ? data : { statusCode: res.status, code: 'HTTP', message: `下载失败（${res.status}）`, messageEn: `Download failed (${res.status})` });
  }
  const match = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '');
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = match ? match[1] : fallbackName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const BIZ_STEPS: Record<string, [string, string]> = {
  commissioning: ['登记批次', 'Batch recorded'],
  correcting: ['更正', 'Correction'],
  certifying: ['开具合格证', 'Certificate issued'],
  input_use: ['投入品使用', 'Input used'],
  farming: ['农事操作', 'Farming operation'],
  shipping: ['销售发货', 'Shipped'],
  receiving: ['收货', 'Received'],
  transforming: ['拆分/合并', 'Split / merge'],
};
