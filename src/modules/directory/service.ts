import { newWorkbook } from '../../kernel/excel.js';
import type { Kysely } from 'kysely';
import { audit } from '../../kernel/audit.js';
import { assertInScope, childLength, countyOf, inScope, isAtOrBelow } from '../../kernel/auth/scope.js';
import type { Ctx } from '../../kernel/context.js';
import { normaliseCode } from '../../kernel/idcodes.js';
import { pageOf } from '../../kernel/paging.js';
import { problems } from '../../kernel/problems.js';
import type { DB } from '../../schema.js';
import * as regions from '../regions/service.js';
import * as repo from './repo.js';
import {
  DIRECTORY_ORG_FORMS,
  type Entry,
  type EntryFilter,
  type EntryInput,
  type EntryListQuery,
  type EntryPatch,
  INDUSTRIES,
  type StatsRow,
} from './schemas.js';
import { workbookBuffer } from '../../kernel/spreadsheet.js';

/**
 * 监管名录 Supervision directory: township staff record the producers found in their census (seed 001 art. 9:
 * 乡镇监管机构摸底建立监管名录), whether or not they have registered. Entries link to the subject when it registers
 * (same certificate number, or same name and phone, in the same county); "in the directory, not registered" is the
 * list township staff work through to push registration.
 */
const ENTRY = ['监管名录条目', 'Directory entry'] as const;

const dto = (e: repo.EntryRow): Entry => ({
  id: e.id,
  divisionCode: e.division_code,
  divisionName: e.division_name ?? '',
  name: e.name,
  orgForm: e.org_form,
  industries: e.industries as Entry['industries'],
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
  if ((input.longitude == null) !== (input.latitude == null))
    throw problems.invalid(
      input.longitude == null ? 'longitude' : 'latitude',
      '：经度和纬度须同时填写',
      ': give both longitude and latitude',
    );
  return {
    division_code: input.divisionCode,
    name: input.name.trim(),
    org_form: input.orgForm,
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

const county = (code: string) => countyOf(code) ?? code;

export async function list(ctx: Ctx, q: EntryListQuery) {
  if (q.within && !inScope(ctx.actor.scope, q.within)) throw problems.outOfJurisdiction('区划', 'division');
  const { page, pageSize, ...filter } = q;
  const p = pageOf({ page, pageSize });
  const res = await repo.list(ctx.db, { ...filter, scope: ctx.actor.scope }, p);
  return { ...res, items: res.items.map(dto) };
}

export async function create(ctx: Ctx, input: EntryInput) {
  assertInScope(ctx.actor.scope, input.divisionCode, '区划', 'division');
  await regions.assertExists(ctx, input.divisionCode, 'divisionCode');
  if (!isAtOrBelow(input.divisionCode, 'township'))
    throw problems.invalid('divisionCode', '：请选到乡镇（街道）或村', ': choose the township or village');
  const row = await repo.insert(ctx.db, {
    ...values(input),
    subject_id: null,
    linked_at: null,
    created_by: ctx.actor.id,
  });
  await repo.link(ctx.db, county(input.divisionCode));
  await audit(ctx, {
    verb: 'directory.write',
    targetType: 'directory_entry',
    targetId: row.id,
    divisionCode: input.divisionCode,
    summary: { action: 'create', name: input.name },
  });
  return dto((await repo.byId(ctx.db, row.id)) as repo.EntryRow);
}

export async function update(ctx: Ctx, id: string, input: EntryPatch) {
  const before = await repo.byId(ctx.db, id);
  if (!before) throw problems.notFound(...ENTRY);
  assertInScope(ctx.actor.scope, before.division_code, '监管名录条目', 'directory entry');
  if (input.divisionCode) {
    assertInScope(ctx.actor.scope, input.divisionCode, '区划', 'division');
    await regions.assertExists(ctx, input.divisionCode, 'divisionCode');
  }
  const merged = values({
    divisionCode: before.division_code,
    name: before.name,
    orgForm: before.org_form,
    industries: before.industries as EntryInput['industries'],
    certNo: before.cert_no,
    address: before.address,
    longitude: before.longitude,
    latitude: before.latitude,
    contactName: before.contact_name,
    contactPhone: before.contact_phone,
    products: before.products,
    scale: before.scale,
    note: before.note,
    ...input,
  });
  await repo.update(ctx.db, id, merged);
  await repo.link(ctx.db, county(merged.division_code));
  await audit(ctx, {
    verb: 'directory.write',
    targetType: 'directory_entry',
    targetId: id,
    divisionCode: merged.division_code,
    summary: { action: 'update', ...input },
  });
  return dto((await repo.byId(ctx.db, id)) as repo.EntryRow);
}

export async function stats(ctx: Ctx, within?: string): Promise<StatsRow[]> {
  const parent = within ?? ctx.actor.scope;
  if (!inScope(ctx.actor.scope, parent)) throw problems.outOfJurisdiction('区划', 'division');
  const rows = await repo.stats(ctx.db, parent, childLength(parent) ?? parent.length);
  const names = await regions.namesOf(
    ctx,
    rows.map((r) => r.code),
  );
  return rows.map((r) => ({ ...r, name: names.get(r.code) ?? r.code, unregistered: r.total - r.registered }));
}

export async function exportWorkbook(ctx: Ctx, q: EntryFilter) {
  const rows = await repo.all(ctx.db, { ...q, scope: ctx.actor.scope }, 50_000);
  const wb = newWorkbook();
  const ws = wb.addWorksheet('监管名录');
  ws.columns = [
    { header: '名称', key: 'name', width: 26 },
    { header: '类型', key: 'orgForm', width: 10 },
    { header: '行业', key: 'industries', width: 14 },
    { header: '乡镇/村', key: 'divisionName', width: 12 },
    { header: '区划代码', key: 'divisionCode', width: 14 },
    { header: '地址', key: 'address', width: 28 },
    { header: '经度', key: 'longitude', width: 10 },
    { header: '纬度', key: 'latitude', width: 10 },
    { header: '联系人', key: 'contactName', width: 10 },
    { header: '联系电话', key: 'contactPhone', width: 14 },
    { header: '主要产品', key: 'products', width: 18 },
    { header: '规模', key: 'scale', width: 14 },
    { header: '是否已注册', key: 'registered', width: 10 },
    { header: '注册主体', key: 'subjectName', width: 24 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const r of rows) {
    const d = dto(r);
    ws.addRow({
      ...d,
      orgForm: DIRECTORY_ORG_FORMS[d.orgForm]?.zh ?? d.orgForm,
      industries: d.industries.map((i) => INDUSTRIES[i]?.zh ?? i).join('、'),
      registered: d.registered ? '已注册' : '未注册',
    });
  }
  return await workbookBuffer(wb);
}

// ── for the subjects module: census entries meet registrations ──────────────────────────────────────────────────

/** After a registration or a change of `subjectId` is approved: links the matching entries of its county to it. */
export function linkEntriesToSubject(ctx: Ctx, subjectId: string, divisionCode: string): Promise<number> {
  return repo.link(ctx.db, county(divisionCode), subjectId);
}

/**
 * After an import into `scope`: links every unlinked entry there to the live subject it matches. Takes the database
 * handle (the transaction of the import's batch), since a background job has no request context.
 */
export function linkEntriesIn(db: Kysely<DB>, scope: string): Promise<number> {
  return repo.link(db, scope);
}
