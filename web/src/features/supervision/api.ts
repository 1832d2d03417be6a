import { type ApiData, type ApiItem, upload } from '../../shared/api';

/** Types of the supervision API, named from the generated OpenAPI types (never restated by hand). */
export type Patrol = ApiData<'get', '/api/v1/patrols/{id}'>;
export type ScanResult = ApiData<'get', '/api/v1/patrols/scan'>;
export type Plan = ApiItem<'/api/v1/patrol-plans'>;
export type DrawRow = ApiItem<'/api/v1/random-draws'>;
export type Draw = ApiData<'get', '/api/v1/random-draws/{id}'>;
export type MonTask = ApiItem<'/api/v1/monitoring-tasks'>;
export type Assignment = ApiItem<'/api/v1/monitoring-assignments/mine'>;
export type Sheet = ApiItem<'/api/v1/sampling-sheets'>;
export type RiskCase = ApiData<'get', '/api/v1/risk-cases/{id}'>;
export type TraceNode = RiskCase['trace']['backward'][number];
export type EnfCase = ApiItem<'/api/v1/enforcement-cases'>;
export type CreditArchive = ApiData<'get', '/api/v1/credit/subjects/{subjectId}'>;
export type Tallied = ApiItem<'/api/v1/credit/subjects'>;
export type PartyTallied = ApiItem<'/api/v1/credit/agencies'>;
export type AgencyArchive = ApiData<'get', '/api/v1/credit/agencies/{orgId}'>;
export type Stats = ApiData<'get', '/api/v1/supervision/stats'>;
export type Notification = ApiItem<'/api/v1/notifications'>;

/** `{ zh, en }`-style labels the server sends as `xZh` / `xEn`, in the UI language. */
export const label = (lang: 'zh' | 'en', zh: string, en: string) => (lang === 'en' ? en : zh);

export const STATUS_COLORS: Record<string, string> = {
  in_progress: 'processing',
  passed: 'green',
  failed: 'red',
  rectifying: 'orange',
  closed: 'cyan',
  sampled: 'blue',
  open: 'red',
  recall_opened: 'orange',
  registered: 'blue',
  investigating: 'processing',
  decided: 'orange',
  dismissed: 'default',
};
export const GRADE_COLORS: Record<string, string> = { A: 'green', B: 'blue', C: 'orange', D: 'red' };

/** Uploads an image through the files module (multipart), returning its id. */
export async function uploadImage(blob: Blob, name: string): Promise<string> {
  const fd = new FormData();
  fd.append('file', blob, name);
  const f = await upload('/api/v1/files', fd, { params: { query: { purpose: 'image' } } });
  return f.id;
}

/** Shrinks a phone photo to ≤ 1600 px JPEG before upload (field signal is weak). */
export async function shrinkImage(file: File): Promise<Blob> {
  if (!file.type.startsWith('image/')) return file;
  try {
    const bmp = await createImageBitmap(file);
    const scale = Math.min(1, 1600 / Math.max(bmp.width, bmp.height));
    if (scale === 1 && file.size < 1_500_000) return file;
    const c = document.createElement('canvas');
    c.width = Math.round(bmp.width * scale);
    c.height = Math.round(bmp.height * scale);
    c.getContext('2d')?.drawImage(bmp, 0, 0, c.width, c.height);
    return await new Promise<Blob>((res) => c.toBlob((b) => res(b ?? file), 'image/jpeg', 0.85));
  } catch {
    return file;
  }
}

export type Inspection = ApiItem<'/api/v1/enforcement-inspections'>;
export type InspectionScan = ApiData<'get', '/api/v1/enforcement-inspections/scan'>;

export { uploadMedia } from '../../shared/ui/MediaUpload';
