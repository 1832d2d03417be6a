import { randomUUID } from 'node:crypto';
import { newWorkbook } from '../../kernel/excel.js';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Ctx } from '../../kernel/context.js';
import { attachFile, saveFile } from '../../kernel/files.js';
import type { ImportRow } from '../../kernel/imports.js';
import type { DB, SubjectTable } from '../../schema.js';
import { insertOrganisations } from '../accounts/service.js';
import { identityCode } from './identity.js';
import { shareSubjects } from './service/common.js';
import type { Row } from './import.js';
import type { normaliseFields } from './service.js';
import { FINAL_STATUSES } from './states.js';
import { workbookBuffer } from '../../kernel/spreadsheet.js';

/** The historic import's writes (kernel/imports.ts calls them per batch, inside the batch's transaction). */
export interface Merge {
  rowNo: number;
  subjectId: string;
  name: string;
  identityCode: string | null;
  filled: string[];
  conflicts: { field: string; existing: string; imported: string }[];
}

type Existing = Selectable<SubjectTable>;

/** A row's line in the merge report. */
export type Outcome = { rowNo: number; name: string; identityCode: string | null } & (
  | { kind: 'new' }
  | { kind: 'merged'; merge: Merge }
  | { kind: 'elsewhere'; platform: string }
  | { kind: 'in_file'; row: number }
);

/** Live subjects with the rows' duplicate keys or credit codes: by `dedup_key` and by `credit:<code>`. */
export async function existingByKeys(db: Kysely<DB>, rows: ImportRow<Row>[]): Promise<Map<string, Existing>> {
  const keys = rows.map((r) => r.value.n.values.dedup_key);
  const credits = rows.map((r) => r.value.n.creditCode).filter((c): c is string => !!c);
  // Two index look-ups (dedup key, credit code) with array parameters rather than one OR over 2,000 values.
  const live = () =>
    db
      .selectFrom('subject')
      .selectAll()
      .where('status', 'not in', [...FINAL_STATUSES]);
  const [byDedup, byCredit] = await Promise.all([
    keys.length ? live().where(sql<boolean>`dedup_key = ANY(${keys}::text[])`).execute() : Promise.resolve([]),
    credits.length
      ? live().where('cert_type', '=', 'credit_code').where(sql<boolean>`cert_no = ANY(${credits}::text[])`).execute()
      : Promise.resolve([]),
  ]);
  const byKey = new Map<string, Existing>();
  for (const e of [...byDedup, ...byCredit]) {
    byKey.set(e.dedup_key, e);
    if (e.cert_type === 'credit_code') byKey.set(`credit:${e.cert_no}`, e);
  }
  return byKey;
}

/** Existing values win; the import fills empty fields and adds certifications. Conflicts are reported, not applied. */
export async function merge(
  db: Kysely<DB>,
  e: Existing,
  rowNo: number,
  v: ReturnType<typeof normaliseFields>['values'],
): Promise<Merge> {
  const filled: string[] = [];
  const conflicts: Merge['conflicts'] = [];
  const patch: Partial<Pick<Existing, (typeof FILLABLE)[number] | 'certifications'>> = {};
  for (const k of FILLABLE) {
    if ((e[k] === null || e[k] === '') && v[k] !== null) {
      Object.assign(patch, { [k]: v[k] });
      filled.push(k);
    }
  }
  const newCerts = v.certifications.filter((c) => !e.certifications.includes(c));
  if (newCerts.length) {
    patch.certifications = [...e.certifications, ...newCerts];
    filled.push('certifications');
  }
  for (const k of ['name', 'contact_name', 'contact_phone', 'address', 'division_code'] as const) {
    if (String(e[k] ?? '') !== String(v[k] ?? ''))
      conflicts.push({ field: k, existing: String(e[k] ?? ''), imported: String(v[k] ?? '') });
  }
  if (filled.length)
    await db
      .updateTable('subject')
      .set({ ...patch, updated_at: new Date(), version: e.version + 1 })
      .where('id', '=', e.id)
      .execute();
  return { rowNo, subjectId: e.id, name: e.name, identityCode: e.identity_code, filled, conflicts };
}
const FILLABLE = ['legal_person_phone', 'contact_email', 'longitude', 'latitude', 'legal_person_id_no'] as const;

/**
 * New subjects, approved (reviewed on the old platform), with their organisations (through the accounts module),
 * identity codes and the approved registration in the application history — three statements per batch.
 */
export async function insertImported(
  ctx: Ctx,
  fresh: ImportRow<Row>[],
  state: { secret: string; today: string; jobId: string },
): Promise<string[]> {
  if (!fresh.length) return [];
  const db = ctx.db;
  const createdBy = ctx.actor.id;
  const now = new Date();
  const vals = fresh.map((r) => r.value.n.values);
  const orgIds = await insertOrganisations(
    ctx,
    vals.map((v) => ({
      name: v.name,
      kind: 'producer',
      divisionCode: v.division_code,
      contactName: v.contact_name,
      contactPhone: v.contact_phone,
      address: v.address,
    })),
  );
  const subjectIds = fresh.map(() => randomUUID());
  const col = <T>(fn: (v: (typeof vals)[number], i: number) => T) => vals.map(fn);
  const codes = col((v) =>
    identityCode({
      orgForm: v.org_form,
      certType: v.cert_type,
      certNo: v.cert_no,
      personalIdNo: v.legal_person_id_no,
      countyCode: v.division_code,
      secret: state.secret,
    }),
  );
  await sql`INSERT INTO subject (id, org_id, name, org_form, subject_type, is_slaughterhouse, industries, cert_type, cert_no, dedup_key,
      legal_person_name, legal_person_id_no, legal_person_phone, contact_name, contact_phone, contact_email, address, division_code,
      longitude, latitude, certifications, status, identity_code, approved_at, source, source_ref, created_by)
    SELECT id, org, name, form, stype, slaughter, string_to_array(ind, ','), ctype, cno, dkey, lpn, lpid, lpp, cn, cp, ce, addr, div, lon, lat,
           string_to_array(certs, ','), 'approved', icode, ${now}::timestamptz, 'import', sref, ${createdBy}::uuid
    FROM unnest(${subjectIds}::uuid[], ${orgIds}::uuid[], ${col((v) => v.name)}::text[], ${col((v) => v.org_form)}::text[],
                ${col((v) => v.subject_type)}::text[], ${col((v) => v.is_slaughterhouse)}::boolean[], ${col((v) => v.industries.join(','))}::text[],
                ${col((v) => v.cert_type)}::text[], ${col((v) => v.cert_no)}::text[], ${col((v) => v.dedup_key)}::text[],
                ${col((v) => v.legal_person_name)}::text[], ${col((v) => v.legal_person_id_no)}::text[], ${col((v) => v.legal_person_phone)}::text[],
                ${col((v) => v.contact_name)}::text[], ${col((v) => v.contact_phone)}::text[], ${col((v) => v.contact_email)}::text[],
                ${col((v) => v.address)}::text[], ${col((v) => v.division_code)}::text[], ${col((v) => v.longitude)}::float8[],
                ${col((v) => v.latitude)}::float8[], ${col((v) => v.certifications.join(','))}::text[], ${codes}::text[], ${fresh.map((r) => r.value.fields.sourceRef)}::text[])
         AS t(id, org, name, form, stype, slaughter, ind, ctype, cno, dkey, lpn, lpid, lpp, cn, cp, ce, addr, div, lon, lat, certs, icode, sref)`.execute(
    db,
  );
  await sql`INSERT INTO subject_application (subject_id, kind, status, data, reason, division_code, submitted_at, submitted_by, due_date, decided_at, decided_by, decision_note)
    SELECT sid, 'register', 'approved', jsonb_build_object('import', true, 'jobId', ${state.jobId}::text, 'row', rn), '历史数据导入', div, ${now}::timestamptz, ${createdBy}::uuid,
           ${state.today}::date, ${now}::timestamptz, ${createdBy}::uuid, '历史注册数据导入（原平台已审核）'
    FROM unnest(${subjectIds}::uuid[], ${col((v) => v.division_code)}::text[], ${fresh.map((r) => r.rowNo)}::int[]) AS t(sid, div, rn)`.execute(
    db,
  );
  await shareSubjects(ctx, subjectIds);
  return codes;
}

const COL_ZH: Record<string, string> = {
  legal_person_phone: '负责人电话',
  contact_email: '电子邮箱',
  longitude: '经度',
  latitude: '纬度',
  legal_person_id_no: '负责人身份证号',
  certifications: '认证',
  name: '主体名称',
  contact_name: '联系人',
  contact_phone: '联系电话',
  address: '地址',
  division_code: '行政区划代码',
};

const OUTCOME: Record<Outcome['kind'], string> = {
  new: '新增 New',
  merged: '合并到本平台已有主体 Merged into an existing producer here',
  elsewhere: '已在其他平台注册，未导入 Registered on another platform, not imported',
  in_file: '与本文件前面的行重复，未导入 Repeats an earlier row, not imported',
};

function detail(o: Outcome): string {
  switch (o.kind) {
    case 'new':
      return '';
    case 'elsewhere':
      return `已在${o.platform}注册`;
    case 'in_file':
      return `与第 ${o.row} 行是同一主体`;
    case 'merged': {
      const m = o.merge;
      return [
        m.filled.length ? `补充：${m.filled.map((f) => COL_ZH[f] ?? f).join('、')}` : '',
        ...m.conflicts.map(
          (c) => `${COL_ZH[c.field] ?? c.field}：平台“${c.existing}”，导入“${c.imported}”（保留平台已有值）`,
        ),
      ]
        .filter(Boolean)
        .join('；');
    }
  }
}

/**
 * The merge report workbook (合并报告): one line per data row of the file, in row order — new, merged into a producer
 * already registered here, already registered on another platform (which one), or repeating an earlier row — stored
 * as a file of the import's job; returns its id.
 */
export async function mergeReport(ctx: Ctx, outcomes: Outcome[], jobId: string): Promise<string> {
  const wb = newWorkbook();
  const ws = wb.addWorksheet('合并报告');
  ws.addRow(['原行号 Row', '主体名称 Name', '结果 Outcome', '主体身份码 Identity code', '说明 Details']).font = {
    bold: true,
  };
  for (const o of [...outcomes].sort((a, b) => a.rowNo - b.rowNo))
    ws.addRow([o.rowNo, o.name, OUTCOME[o.kind], o.identityCode ?? '', detail(o)]);
  ws.getColumn(2).width = 28;
  ws.getColumn(3).width = 40;
  ws.getColumn(4).width = 24;
  ws.getColumn(5).width = 80;
  const saved = await saveFile(ctx, {
    name: '合并报告.xlsx',
    data: await workbookBuffer(wb),
    rule: 'spreadsheet',
  });
  await attachFile(ctx, saved.id, 'subject_import', jobId);
  return saved.id;
}
