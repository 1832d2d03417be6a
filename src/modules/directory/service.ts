import ExcelJS from 'exceljs';
import { audit } from '../../kernel/audit.js';
import { assertInScope, inScope } from '../../kernel/auth/scope.js';
import type { Ctx } from '../../kernel/context.js';
import { normaliseCode } from '../../kernel/idcodes.js';
import { problems } from '../../kernel/problems.js';
import * as regions from '../regions/service.js';
import { INDUSTRIES } from '../subjects/service.js';
import * as repo from './repo.js';

/**
 * 监管名录 Supervision directory: township staff record the producers found in their census (seed 001 art. 9:
 * 乡镇监管机构摸底建立监管名录), whether or not they have registered. Entries link to the subject when it registers
 * (same certificate number, or same name and phone, in the same county); "in the directory, not registered" is the
 * list township staff work through to push registration.
 */
const ENTRY = ['监管名录条目', 'Directory entry'] as const;
export const ORG_FORMS_DIR: Record<string, string> = { enterprise: '企业', cooperative: '合作社', family_farm: '家庭农场', individual: '农户', broker: '农村经纪人' };

export interface EntryInput {
  divisionCode: string;
  name: string;
  orgForm: string;
  industries?: string[];
  certNo?: string | null;
  address?: string | null;
  longitude?: number | null;
  latitude?: number | null;
  contactName?: string | null;
  contactPhone?: string | null;
  products?: string | null;
  scale?: string | null;
  note?: string | null;
}

const dto = (e: repo.EntryRow) => ({
  id: e.id,
  divisionCode: e.division_code,
  divisionName: e.division_name ?? '',
  name: e.name,
  orgForm: e.org_form,
  industries: e.industries,
  certNo: e.cert_no,
  address: e.address,
  longitude: e.longitude,
  latitude: e.latitude,
  contactName: e.contact_name,
  contactPhone: e.contact_phone,
  products: e.products,
  scale: e.scale,
  note: e.note,
  registered: !!e.subject_id,
  subjectId: e.subject_id,
  subjectName: e.subject_name,
  subjectStatus: e.subject_status,
  linkedAt: e.linked_at?.toISOString() ?? null,
  createdAt: e.created_at.toISOString(),
});

function values(input: EntryInput) {
  if ((input.longitude == null) !== (input.latitude == null)) throw problems.invalid(input.longitude == null ? 'longitude' : 'latitude', '：经度和纬度须同时填写', ': give both longitude and latitude');
  return {
    division_code: input.divisionCode,
    name: input.name.trim(),
    org_form: input.orgForm as never,
    industries: [...new Set(input.industries ?? [])],
    cert_no: input.certNo ? normaliseCode(input.certNo) : null,
    address: input.address ?? null,
    longitude: input.longitude ?? null,
    latitude: input.latitude ?? null,
    contact_name: input.contactName ?? null,
    contact_phone: input.contactPhone ?? null,
    products: input.products ?? null,
    scale: input.scale ?? null,
    note: input.note ?? null,
  };
}

export async function list(ctx: Ctx, q: Omit<repo.EntryFilter, 'scope'> & { page?: number; pageSize?: number }) {
  if (q.within && !inScope(ctx.actor.scope, q.within)) throw problems.outOfJurisdiction('区划', 'division');
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  const { items, total } = await repo.list(ctx.db, { ...q, scope: ctx.actor.scope }, pageSize, (page - 1) * pageSize);
  return { items: items.map(dto), total, page, pageSize };
}

export async function create(ctx: Ctx, input: EntryInput) {
  assertInScope(ctx.actor.scope, input.divisionCode, '区划', 'division');
  await regions.assertExists(ctx, input.divisionCode, 'divisionCode');
  if (input.divisionCode.length < 9) throw problems.invalid('divisionCode', '：请选到乡镇（街道）或村', ': choose the township or village');
  const row = await ctx.db.insertInto('directory_entry').values({ ...values(input), subject_id: null, linked_at: null, created_by: ctx.actor.id }).returning('id').executeTakeFirstOrThrow();
  await repo.link(ctx.db, input.divisionCode.slice(0, 6));
  await audit(ctx, { verb: 'directory.write', targetType: 'directory_entry', targetId: row.id, divisionCode: input.divisionCode, summary: { action: 'create', name: input.name } });
  return dto((await repo.byId(ctx.db, row.id)) as repo.EntryRow);
}

export async function update(ctx: Ctx, id: string, input: Partial<EntryInput>) {
  const before = await repo.byId(ctx.db, id);
  if (!before) throw problems.notFound(...ENTRY);
  assertInScope(ctx.actor.scope, before.division_code, '监管名录条目', 'directory entry');
  if (input.divisionCode) {
    assertInScope(ctx.actor.scope, input.divisionCode, '区划', 'division');
    await regions.assertExists(ctx, input.divisionCode, 'divisionCode');
  }
  const merged = values({
    divisionCode: before.division_code, name: before.name, orgForm: before.org_form, industries: before.industries, certNo: before.cert_no, address: before.address,
    longitude: before.longitude, latitude: before.latitude, contactName: before.contact_name, contactPhone: before.contact_phone, products: before.products,
    scale: before.scale, note: before.note, ...input,
  });
  await ctx.db.updateTable('directory_entry').set({ ...merged, updated_at: new Date() }).where('id', '=', id).execute();
  await repo.link(ctx.db, merged.division_code.slice(0, 6));
  await audit(ctx, { verb: 'directory.write', targetType: 'directory_entry', targetId: id, divisionCode: merged.division_code, summary: { action: 'update', ...input } });
  return dto((await repo.byId(ctx.db, id)) as repo.EntryRow);
}

export async function stats(ctx: Ctx, within?: string) {
  const parent = within ?? ctx.actor.scope;
  if (!inScope(ctx.actor.scope, parent)) throw problems.outOfJurisdiction('区划', 'division');
  const childLen = parent.length < 6 ? parent.length + 2 : parent.length === 6 ? 9 : 12;
  const rows = await repo.stats(ctx.db, parent, childLen);
  const names = new Map((await ctx.db.selectFrom('division').select(['code', 'name']).where('code', 'in', rows.length ? rows.map((r) => r.code) : ['-']).execute()).map((d) => [d.code, d.name]));
  return rows.map((r) => ({ ...r, name: names.get(r.code) ?? r.code, unregistered: r.total - r.registered }));
}

export async function exportWorkbook(ctx: Ctx, q: Omit<repo.EntryFilter, 'scope'>) {
  const rows = await repo.all(ctx.db, { ...q, scope: ctx.actor.scope }, 50_000);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('监管名录');
  ws.columns = [
    { header: '名称', key: 'name', width: 26 }, { header: '类型', key: 'orgForm', width: 10 }, { header: '行业', key: 'industries', width: 14 },
    { header: '乡镇/村', key: 'divisionName', width: 12 }, { header: '区划代码', key: 'divisionCode', width: 14 }, { header: '地址', key: 'address', width: 28 },
    { header: '经度', key: 'longitude', width: 10 }, { header: '纬度', key: 'latitude', width: 10 }, { header: '联系人', key: 'contactName', width: 10 },
    { header: '联系电话', key: 'contactPhone', width: 14 }, { header: '主要产品', key: 'products', width: 18 }, { header: '规模', key: 'scale', width: 14 },
    { header: '是否已注册', key: 'registered', width: 10 }, { header: '注册主体', key: 'subjectName', width: 24 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    const d = dto(r);
    ws.addRow({ ...d, orgForm: ORG_FORMS_DIR[d.orgForm] ?? d.orgForm, industries: d.industries.map((i) => INDUSTRIES[i as keyof typeof INDUSTRIES]?.zh ?? i).join('、'), registered: d.registered ? '已注册' : '未注册' });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
