export interface Sale {
  id: string; batchId: string; batchNo: string; batchCode: string | null; productName: string; quantity: number; unit: string; price: number | null;
  sellerSubjectId: string; sellerName: string; buyerKind: string; buyerSubjectId: string | null; buyerName: string; buyerPhone: string | null;
  status: string; statusName: string; voucherKind: string | null; voucherName: string | null; voucherCode: string | null; voucherUrl: string | null; soldAt: string;
  receiptBatchId: string | null; receiptCode: string | null; receivedQuantity: number | null; decidedAt: string | null; refuseReason: string | null; allowedActions: string[];
}
export interface LineageNode {
  batchId: string; depth: number; kind: string; batchNo: string; code: string | null; productName: string; subjectId: string; subjectName: string; divisionCode: string;
  quantity: number; stock: number; unit: string; producedAt: string; status: string; recall: string | null; inJurisdiction: boolean;
}
export interface LineageEdge { from: string; to: string; quantity: number | null; unit: string | null; time: string; bizStep: string }
export interface Graph { rootId: string; total: number; nodes: LineageNode[]; edges: LineageEdge[]; truncated?: boolean }
export interface Notice {
  id: string; holderSubjectId: string | null; holderName: string; contactName: string | null; phone: string | null; divisionCode: string | null; batchNo: string | null; code: string | null;
  quantity: number | null; unit: string | null; status: string; acknowledgedAt: string | null; recoveredQuantity: number | null; note: string | null;
}
export interface Recall {
  id: string; number: string; batchId: string; batchNo: string; code: string | null; productName: string; subjectName: string; divisionCode: string; level: number; levelName: string;
  reason: string; status: string; statusName: string; openedAt: string; closedAt: string | null;
  progress: { batches: number; holders: number; acknowledged: number; external: number; percent: number; recovered: number };
  notices: Notice[]; allowedActions: string[];
}
export interface GateResult {
  id: string; verified: boolean; message: string; messageEn: string; reasons: { code: string; ok: boolean; message: string; messageEn: string }[];
  info: Record<string, unknown> | null; checkedAt: string;
}
export const STEP_NAMES: Record<string, [string, string]> = {
  shipping: ['销售', 'Sale'], receiving: ['收货', 'Receipt'], transforming: ['分装/合并', 'Split / merge'], repacking: ['重新包装', 'Repack'],
};
