import { newWorkbook } from '../../kernel/excel.js';
import type { Config } from '../../config.js';
import type { Ctx } from '../../kernel/context.js';
import { MM, newPdf, pdfBuffer, qrPng, qrSvg } from '../../kernel/pdf.js';
import { Problem } from '../../kernel/problems.js';
import * as regions from '../regions/service.js';
import type * as repo from './repo.js';
import { CERTIFICATIONS, CERT_TYPES, INDUSTRIES, ORG_FORMS, SOURCES, SUBJECT_TYPES } from './schemas.js';
import { sharedSubjectDto, subjectDto } from './service/common.js';
import { platformLink } from '../../kernel/sharing.js';
import { STATUS_LABELS } from './states.js';
import { workbookBuffer } from '../../kernel/spreadsheet.js';

/** What the identity QR encodes: a URL a phone camera opens; the web app resolves it after login (jurisdiction applies). */
export const identityUrl = (config: Config, code: string) => `${config.publicBaseUrl}/s/${code}`;

export async function identityQrSvg(ctx: Ctx, s: repo.SubjectRow) {
  if (!s.identity_code) throw new Problem('SUBJECT_NO_IDENTITY_CODE');
  return qrSvg(identityUrl(ctx.config, s.identity_code), { margin: 1 });
}

/** 主体身份卡 Printable identity card (A6 landscape): name, category, county, identity code and its QR. No ID numbers. */
export async function identityCardPdf(ctx: Ctx, s: repo.SubjectRow): Promise<Buffer> {
  if (!s.identity_code) throw new Problem('SUBJECT_NO_IDENTITY_CODE');
  const code = s.identity_code;
  const county = await regions.fullName(ctx, s.division_code);
  const doc = newPdf({ size: [148 * MM, 105 * MM], margin: 8 * MM, info: { Title: `主体身份码 ${code}` } });
  const w = 148 * MM;
  doc
    .rect(4 * MM, 4 * MM, w - 8 * MM, 97 * MM)
    .lineWidth(1.2)
    .strokeColor('#1f6f43')
    .stroke();
  doc
    .font('cjk-bold')
    .fontSize(15)
    .fillColor('#1f6f43')
    .text('农产品质量安全追溯 · 生产经营主体身份码', 8 * MM, 9 * MM, { width: w - 16 * MM, align: 'center' });
  const qr = await qrPng(identityUrl(ctx.config, code), { scale: 6, margin: 1 });
  doc.image(qr, w - 58 * MM, 22 * MM, { width: 48 * MM });
  doc
    .fillColor('#000')
    .font('cjk-bold')
    .fontSize(13)
    .text(s.name, 10 * MM, 24 * MM, { width: 76 * MM });
  const rows: [string, string][] = [
    ['组织形式', ORG_FORMS[s.org_form].zh],
    ['主体类型', `${SUBJECT_TYPES[s.subject_type].zh}${s.is_slaughterhouse ? '（屠宰厂/场）' : ''}`],
    ['所属行业', s.industries.map((i) => INDUSTRIES[i].zh).join('、')],
    ['所在地区', county],
    ['联系人', s.contact_name],
  ];
  if (s.certifications.length) rows.push(['认证', s.certifications.map((c) => CERTIFICATIONS[c]?.zh ?? c).join('、')]);
  let y = doc.y + 3 * MM;
  doc.font('cjk').fontSize(9);
  for (const [k, v] of rows) {
    doc.fillColor('#555').text(k, 10 * MM, y, { width: 16 * MM });
    doc.fillColor('#000').text(v, 27 * MM, y, { width: 60 * MM });
    y = Math.max(doc.y, y + 5 * MM) + 1;
  }
  doc
    .font('cjk-bold')
    .fontSize(11)
    .fillColor('#000')
    .text(code, w - 66 * MM, 72 * MM, { width: 64 * MM, align: 'center', characterSpacing: 0.5 });
  doc
    .font('cjk')
    .fontSize(8)
    .fillColor('#555')
    .text('监管人员扫码或输入身份码可查看主体档案', w - 66 * MM, 79 * MM, { width: 64 * MM, align: 'center' });
  doc
    .fontSize(8)
    .text(
      `发证日期 ${s.approved_at ? s.approved_at.toISOString().slice(0, 10) : ''}    状态 ${STATUS_LABELS[s.status].zh}`,
      10 * MM,
      92 * MM,
      { width: w - 20 * MM },
    );
  return pdfBuffer(doc);
}

/** Excel export of a subject search (ID numbers masked unless the caller may see them). */
/**
 * The Excel export of a search: this platform's subjects and those shared from lower platforms (信息归集), the
 * latter marked with their origin platform in the last column (workbookBuffer neutralises formula-like text).
 */
export async function exportWorkbook(
  ctx: Ctx,
  rows: ({ local: repo.SubjectRow } | { shared: repo.SharedSubjectRow })[],
): Promise<Buffer> {
  const wb = newWorkbook();
  const ws = wb.addWorksheet('生产经营主体');
  ws.columns = [
    { header: '主体名称', key: 'name', width: 28 },
    { header: '主体身份码', key: 'identityCode', width: 24 },
    { header: '组织形式', key: 'orgForm', width: 14 },
    { header: '主体类型', key: 'subjectType', width: 10 },
    { header: '行业', key: 'industries', width: 14 },
    { header: '证件类型', key: 'certType', width: 14 },
    { header: '证件号码', key: 'certNo', width: 22 },
    { header: '法定代表人/负责人', key: 'legalPersonName', width: 14 },
    { header: '联系人', key: 'contactName', width: 10 },
    { header: '联系电话', key: 'contactPhone', width: 14 },
    { header: '地址', key: 'address', width: 30 },
    { header: '区划代码', key: 'divisionCode', width: 12 },
    { header: '区划', key: 'divisionName', width: 12 },
    { header: '经度', key: 'longitude', width: 10 },
    { header: '纬度', key: 'latitude', width: 10 },
    { header: '认证', key: 'certifications', width: 14 },
    { header: '状态', key: 'status', width: 12 },
    { header: '来源', key: 'source', width: 8 },
    { header: '通过日期', key: 'approvedAt', width: 12 },
    { header: '共享自', key: 'sharedFrom', width: 16 },
  ];
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  const origins = [...new Set(rows.flatMap((r) => ('shared' in r ? [r.shared.origin_platform] : [])))];
  const names = new Map(
    await Promise.all(origins.map(async (o) => [o, (await platformLink().namePlatform(ctx, o)).zh] as const)),
  );
  const label = (m: Record<string, { zh: string }>, k: string) => m[k]?.zh ?? k;
  for (const r of rows) {
    const d = 'local' in r ? subjectDto(ctx.actor, r.local) : sharedSubjectDto(r.shared);
    ws.addRow({
      ...d,
      orgForm: label(ORG_FORMS, d.orgForm),
      subjectType: label(SUBJECT_TYPES, d.subjectType),
      industries: d.industries.map((i) => label(INDUSTRIES, i)).join('、'),
      certType: label(CERT_TYPES, d.certType),
      certifications: d.certifications.map((c) => label(CERTIFICATIONS, c)).join('、'),
      status: STATUS_LABELS[d.status].zh,
      source: 'local' in r ? SOURCES[r.local.source].zh : '下级平台共享',
      approvedAt: d.approvedAt?.slice(0, 10) ?? '',
      sharedFrom: d.originPlatform ? (names.get(d.originPlatform) ?? d.originPlatform) : '',
    });
  }
  return await workbookBuffer(wb);
}
