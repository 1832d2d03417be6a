/** Labels [zh, en] of the subject enumerations (the server's /subjects/meta has the same). */
export const ORG_FORMS: Record<string, [string, string]> = {
  enterprise: ['企业（含个体工商户）', 'Enterprise'], cooperative: ['合作社', 'Cooperative'], family_farm: ['家庭农场', 'Family farm'], individual: ['农户（个人）', 'Farmer'],
};
export const SUBJECT_TYPES: Record<string, [string, string]> = { production: ['生产', 'Production'], operation: ['经营', 'Operation'], both: ['生产经营', 'Both'] };
export const INDUSTRIES: Record<string, [string, string]> = { planting: ['种植业', 'Planting'], livestock: ['畜牧业', 'Livestock'], fishery: ['渔业', 'Fishery'] };
export const CERTIFICATIONS: Record<string, [string, string]> = { green: ['绿色食品', 'Green food'], organic: ['有机农产品', 'Organic'], gi: ['农产品地理标志', 'GI'], gap: ['良好农业规范', 'GAP'] };
export const STATUSES: Record<string, [string, string, string]> = {
  pending: ['待审核', 'Pending', 'processing'], approved: ['已通过', 'Approved', 'success'], rejected: ['已驳回', 'Rejected', 'error'],
  change_pending: ['变更待审核', 'Change pending', 'warning'], cancel_pending: ['注销待审核', 'Cancellation pending', 'warning'], revoke_pending: ['撤销待审核', 'Revocation pending', 'warning'],
  revoked: ['已撤销', 'Revoked', 'default'], cancelled: ['已注销', 'Cancelled', 'default'],
};
export const APP_KINDS: Record<string, [string, string]> = { register: ['注册', 'Registration'], change: ['变更', 'Change'], cancel: ['注销', 'Cancellation'], revoke: ['撤销', 'Revocation'] };

export interface Application { id: string; kind: string; status: string; reason: string | null; submittedAt: string; dueDate: string; overdue: boolean; decidedAt: string | null; decidedByName: string | null; decisionNote: string | null; reasons: { field?: string; reason: string }[]; data: Record<string, unknown> }
export interface Subject {
  id: string; orgId: string; name: string; orgForm: string; subjectType: string; isSlaughterhouse: boolean; industries: string[]; certType: string; certNo: string;
  legalPersonName: string; legalPersonIdNo: string | null; legalPersonPhone: string | null; contactName: string; contactPhone: string; contactEmail: string | null; address: string;
  divisionCode: string; divisionName: string; longitude: number | null; latitude: number | null; certifications: string[]; status: string; identityCode: string | null;
  approvedAt: string | null; source: string; version: number; allowedActions: string[]; createdAt: string;
}
export interface SubjectDetail extends Subject { divisionFullName: string; hasAccount: boolean; files: { id: string; name: string; mime: string; kind: string; url: string }[]; applications: Application[] }
