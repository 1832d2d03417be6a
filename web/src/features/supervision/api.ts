import { api } from '../../shared/api';

/** Types of the supervision API (patrols, draws, monitoring, risk cases, enforcement, credit, statistics). */
export interface FileRef { id: string; name: string; mime: string }
export interface TemplateItem { code: string; zh: string; en: string; critical: boolean }
export interface Patrol {
  id: string; orgName: string; divisionCode: string; subjectId: string; subjectName: string; identityCode: string | null; target: string; templateName: string;
  templateItems: TemplateItem[]; inspectorName: string; status: string; statusZh: string; statusEn: string; result: string | null;
  checklist: { code: string; ok: boolean; note: string | null }[]; findings: string | null; photos: FileRef[]; signature: FileRef | null; signerName: string | null;
  longitude: number | null; latitude: number | null; accuracyM: number | null; rectifyDeadline: string | null; startedAt: string; submittedAt: string | null;
  followUpNote: string | null; closedAt: string | null; allowedActions: string[];
}
export interface ScanResult {
  subject: { id: string; name: string; divisionCode: string; identityCode: string | null; status: string; contactName: string; contactPhone: string; address: string; industries: string[] };
  credit: { grade: string; gradeZh: string; points: number; repeatOffender: boolean };
  openTasks: { id: string; drawId: string }[];
  recentPatrols: { id: string; status: string; startedAt: string; inspectorName: string }[];
}
export interface Plan { id: string; orgName: string; divisionCode: string; year: number; period: string; periodNo: number; target: number; title: string; done: number }
export interface Assignment { id: string; taskId: string; taskCode: string; taskTitle: string; taskKind: string; products: string[]; divisionCode: string; quantity: number; deadline: string; sampled: number }
export interface MonItem { item: string; unit: string; limit: number | null; standard: string }
export interface Sheet {
  id: string; assignmentId: string; taskCode: string; taskTitle: string; taskItems: MonItem[]; testingOrgName: string; sampleCode: string; productName: string;
  traceCode: string | null; tempCode: string | null; subjectId: string | null; subjectName: string; place: string; divisionCode: string; sampledAt: string;
  status: string; results: { item: string; value: number | null; valueText: string | null; unit: string; limit: number | null; standard: string; passed: boolean }[];
}
export interface MonTask {
  id: string; code: string; title: string; kind: string; kindZh: string; level: string; products: string[]; items: MonItem[]; startDate: string; endDate: string; status: string;
  assignments?: { id: string; testingOrgName: string; divisionCode: string; quantity: number; deadline: string; sampled: number; tested: number; failed: number }[];
}
export interface TraceNode { batchId: string; depth: number; batchNo: string | null; code: string | null; productName: string | null; subjectName: string | null; divisionCode: string; quantity: number; stock: number; unit: string | null }
export interface RiskCase {
  id: string; sheetId: string; subjectId: string | null; subjectName: string; traceCode: string | null; productName: string; countyCode: string; divisionCode: string;
  failedItems: { item: string; value: string | null; valueText: string | null; unit: string; limit: string | null; standard: string }[];
  trace: { status: string; backward: TraceNode[]; forward: TraceNode[]; noteZh: string; noteEn: string };
  proposedRecall: { reasonZh: string; reasonEn: string; traceCode: string | null; scopeZh: string; scopeEn: string };
  recallId: string | null; status: string; creditRecordId: string | null; createdAt: string; recallOpenedAt: string | null; allowedActions: string[];
}
export interface CreditArchive {
  subject: { id: string; name: string; divisionCode: string; identityCode: string | null };
  points: number; rating: { grade: string; nameZh: string; nameEn: string }; recordsInWindow: number; repeatOffender: boolean;
  policy: { windowMonths: number; repeatThreshold: number };
  records: { id: string; source: string; sourceId: string; ruleCode: string; points: number; titleZh: string; titleEn: string; occurredAt: string; withdrawn: boolean }[];
}
export interface EnfCase {
  id: string; caseNo: string; orgName: string; divisionCode: string; subjectId: string | null; partyName: string; productName: string | null; traceCode: string | null;
  facts: string; violationType: string; violationZh: string; violationEn: string; article: string; decision: string | null; fineYuan: number | null; status: string;
  statusZh: string; statusEn: string; createdAt: string; allowedActions: string[];
}
export interface Notification { id: string; kind: string; title: string; titleEn: string; body: string | null; link: string | null; createdAt: string; readAt: string | null }

export const STATUS_COLORS: Record<string, string> = {
  in_progress: 'processing', passed: 'green', failed: 'red', rectifying: 'orange', closed: 'cyan', sampled: 'blue', open: 'red', recall_opened: 'orange',
  registered: 'blue', investigating: 'processing', decided: 'orange', dismissed: 'default',
};
export const GRADE_COLORS: Record<string, string> = { A: 'green', B: 'blue', C: 'orange', D: 'red' };

/** Uploads a file through the files module (multipart), returning its id. */
export async function uploadImage(blob: Blob, name: string): Promise<string> {
  const fd = new FormData();
  fd.append('file', blob, name);
  const f = await api<{ id: string }>('POST', '/files?purpose=image', fd);
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
