/**
 * 承诺达标合格证 under MARA order 2025 No. 4 (in force 2026-02-01), as summarised in shared/DOMAIN.md. Producer-style
 * and buyer-style certificates differ in what is promised and on what basis. A buyer that cannot test may honestly
 * claim "certificates collected" as its basis (UX.md: offer the basis a buyer can honestly claim).
 */
export const PROMISES = {
  no_banned: {
    zh: '不使用禁用农药兽药、停用兽药和非法添加物',
    en: 'No banned pesticides or veterinary drugs, no withdrawn veterinary drugs, no illegal additives',
    styles: ['producer', 'buyer'],
  },
  residue_limits: {
    zh: '常规农药兽药残留不超标',
    en: 'Residues of common pesticides and veterinary drugs within limits',
    styles: ['producer', 'buyer'],
  },
  collected: { zh: '已收取上游承诺达标合格证', en: 'Upstream certificates were collected', styles: ['buyer'] },
  no_preservatives: {
    zh: '未使用国家禁止的保鲜剂、防腐剂、添加剂',
    en: 'No prohibited preservatives, antiseptics or additives used',
    styles: ['buyer'],
  },
} as const;
export type PromiseCode = keyof typeof PROMISES;

export const BASIS = {
  control: {
    zh: '质量安全控制符合要求',
    en: 'Quality-safety control meets requirements',
    styles: ['producer', 'buyer'],
  },
  self_test: { zh: '自行检测合格', en: 'Self-tested: qualified', styles: ['producer', 'buyer'] },
  commissioned_test: { zh: '委托检测合格', en: 'Commissioned test: qualified', styles: ['producer', 'buyer'] },
  collected_certificates: {
    zh: '收取的合格证（上游已承诺达标）',
    en: 'Collected upstream certificates',
    styles: ['buyer'],
  },
  purchase_check: {
    zh: '收购时查验（检测）合格',
    en: 'Checked (tested) on purchase: qualified',
    styles: ['buyer'],
  },
} as const;
export type BasisCode = keyof typeof BASIS;

export const CERTIFICATE_STYLES = ['producer', 'buyer'] as const;
export type Style = (typeof CERTIFICATE_STYLES)[number];

/** The promises a certificate of a style always carries (the law fixes them; the issuer does not pick). */
export function promisesFor(style: Style): PromiseCode[] {
  return (Object.keys(PROMISES) as PromiseCode[]).filter((k) =>
    (PROMISES[k].styles as readonly string[]).includes(style),
  );
}
export function basisAllowed(style: Style, b: BasisCode): boolean {
  return (BASIS[b].styles as readonly string[]).includes(style);
}

/** Records are kept two years (the rules quote 6 months to 2 years; we keep the longest). */
export const RETAIN_YEARS = 2;

/** What the certificate's QR code shows when scanned by any reader: the words 承诺达标合格证 first, then the facts. */
export function qrText(c: {
  number: string;
  productName: string;
  quantity: number;
  unit: string;
  subjectName: string;
  issuedAt: Date;
  verifyUrl: string;
}) {
  const day = new Date(c.issuedAt.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  return `承诺达标合格证\n编号:${c.number}\n产品:${c.productName}\n数量:${c.quantity}${c.unit}\n开具:${c.subjectName}\n日期:${day}\n核验:${c.verifyUrl}`;
}
