import { newWorkbook } from '../../kernel/excel.js';
import { inScope } from '../../kernel/auth/scope.js';
import type { ImportDef } from '../../kernel/imports.js';
import { type FieldError, type SheetColumn, workbookBuffer } from '../../kernel/spreadsheet.js';
import * as repo from './repo.js';
import { REGISTRY_KINDS, REGISTRY_KIND_VALUES, type RegistryKind } from './tables.js';

/**
 * Import of the certification registry file (认证名录): 三品一标 certificates and designations from the certifying
 * bodies, one row per certificate or designation, matched later to producers by the credit code. Re-importing a row
 * updates it (key: kind + certificate number, else holder code, else holder name).
 */
type Key = 'kind' | 'certNo' | 'holderName' | 'holderCode' | 'productName' | 'divisionCode' | 'validUntil';
const COLUMNS: SheetColumn<Key>[] = [
  { key: 'kind', header: '类别', en: 'kind', required: true },
  { key: 'certNo', header: '证书编号', en: 'certNo' },
  { key: 'holderName', header: '获证主体', en: 'holderName', required: true },
  { key: 'holderCode', header: '统一社会信用代码', en: 'holderCode' },
  { key: 'productName', header: '产品名称', en: 'productName' },
  { key: 'divisionCode', header: '所在地区代码', en: 'divisionCode', required: true },
  { key: 'validUntil', header: '有效期至', en: 'validUntil' },
];

export interface RegistryRow {
  kind: RegistryKind;
  certNo: string | null;
  holderName: string;
  holderCode: string | null;
  productName: string | null;
  divisionCode: string;
  validUntil: string | null;
}
const err = (field: Key, zh: string, en: string) => ({ errors: [{ field, zh, en }] as FieldError[] });

/** Kind by key or by its Chinese or English name. */
function kindOf(text: string): RegistryKind | null {
  const t = text.trim().toLowerCase();
  for (const k of REGISTRY_KIND_VALUES) {
    if (t === k || t === REGISTRY_KINDS[k].zh || t === REGISTRY_KINDS[k].en.toLowerCase()) return k;
  }
  if (t === '绿色食品' || t === '绿色') return 'green';
  if (t === '有机' || t === '有机产品') return 'organic';
  if (t === '地理标志' || t === '地标') return 'gi';
  if (t === '无公害') return 'pollution_free';
  if (t === '龙头企业') return 'leading_enterprise';
  if (t === '示范社') return 'model_coop';
  return null;
}

export const dedupKey = (r: RegistryRow) => `${r.kind}|${r.certNo ?? r.holderCode ?? r.holderName}`;

export function parseRow(get: (k: Key) => string, scope: string): { value: RegistryRow } | { errors: FieldError[] } {
  const kind = kindOf(get('kind'));
  if (!kind) return err('kind', `类别“${get('kind').slice(0, 40)}”不认识`, 'unknown kind');
  const holderName = get('holderName');
  if (!holderName || holderName.length > 200)
    return err('holderName', '必填，不超过 200 字', 'required, at most 200 characters');
  const certNo = get('certNo') || null;
  if (certNo && !/^[0-9A-Za-z\-/ ]{4,40}$/.test(certNo))
    return err('certNo', '证书编号格式不对', 'malformed certificate number');
  if (!certNo && ['green', 'organic', 'gi', 'pollution_free'].includes(kind))
    return err('certNo', '认证类须有证书编号', 'certificates need their number');
  const holderCode = get('holderCode').toUpperCase() || null;
  if (holderCode && !/^[0-9A-Z]{18}$/.test(holderCode))
    return err('holderCode', '应为 18 位统一社会信用代码', 'must be an 18-character credit code');
  const divisionCode = get('divisionCode');
  if (!/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/.test(divisionCode))
    return err('divisionCode', '应为区划代码', 'must be a division code');
  if (!inScope(scope, divisionCode)) return err('divisionCode', '不在您的管辖范围内', 'outside your jurisdiction');
  const validUntil = get('validUntil') || null;
  if (
    validUntil &&
    (!/^\d{4}-\d{2}-\d{2}$/.test(validUntil) ||
      Number.isNaN(Date.parse(`${validUntil}T00:00:00Z`)) ||
      new Date(`${validUntil}T00:00:00Z`).toISOString().slice(0, 10) !== validUntil)
  )
    return err('validUntil', '应为有效日期 YYYY-MM-DD', 'must be a date YYYY-MM-DD');
  const productName = get('productName').slice(0, 100) || null;
  return { value: { kind, certNo, holderName, holderCode, productName, divisionCode, validUntil } };
}

export const registryImport: ImportDef<Key, { scope: string }, RegistryRow> = {
  kind: 'certification.registry-import',
  name: { zh: '导入认证名录（三品一标、龙头企业、示范社）', en: 'Import the certification registry' },
  verb: 'certification.manage',
  ownerType: 'cert_registry_import',
  columns: COLUMNS,
  atOnce: 'headers',
  batchSize: 500,
  errorFileName: '认证名录导入错误行.xlsx',
  begin: async (_ctx, run) => ({ scope: run.scope }),
  parse: (row, state) => parseRow(row.get, state.scope),
  async write(ctx, rows) {
    const out: ('inserted' | 'updated' | 'unchanged')[] = [];
    for (const r of rows) out.push(await repo.upsertEntry(ctx.db, dedupKey(r.value), r.value, ctx.actor.id));
    return out;
  },
};

export async function registryTemplate(): Promise<Buffer> {
  const wb = newWorkbook();
  const ws = wb.addWorksheet('认证名录');
  ws.addRow(COLUMNS.map((c) => c.header));
  ws.addRow([
    '绿色食品',
    'LB-18-2301010101A',
    '从化区某果蔬合作社',
    '93440117MA5XXXXXXX',
    '荔枝',
    '440117',
    '2027-06-30',
  ]);
  ws.addRow(['龙头企业', '', '从化区某农业有限公司', '91440117MA5XXXXXXX', '', '440117', '']);
  ws.columns.forEach((c) => {
    c.width = 22;
  });
  return await workbookBuffer(wb);
}
