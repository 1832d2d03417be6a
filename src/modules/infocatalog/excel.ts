import { newWorkbook } from '../../kernel/excel.js';
import { PERSONAL_LABELS, type CatalogFile, VISIBILITY_LABELS } from './schemas.js';
import { safeCellText as safe, workbookBuffer } from '../../kernel/spreadsheet.js';

/** A catalogue version as an Excel workbook: one row per field of every resource, for reading (import takes JSON). */
export async function catalogXlsx(f: CatalogFile): Promise<Buffer> {
  const wb = newWorkbook();
  wb.creator = 'Suyuan 溯源';
  const info = wb.addWorksheet('版本 Version');
  info.columns = [
    { header: '项目 Item', key: 'k', width: 24 },
    { header: '内容 Value', key: 'v', width: 70 },
  ];
  for (const [k, v] of [
    ['版本 Version', f.version],
    ['层级 Tier', f.tier === 'national' ? '国家 national' : `地方 local ${f.divisionCode}`],
    ['基于 Based on', f.baseVersion ?? ''],
    ['名称 Title', f.title],
    ['说明 Note', f.note ?? ''],
    ['发布时间 Published', f.publishedAt ?? ''],
  ])
    info.addRow({ k, v: safe(v) });
  const s = wb.addWorksheet('字段 Fields');
  s.columns = [
    { header: '资源 Resource', key: 'resource', width: 16 },
    { header: '资源名称 Resource name', key: 'resourceName', width: 26 },
    { header: '审核 Reviewed', key: 'reviewed', width: 10 },
    { header: '时限(天) Days', key: 'lateDays', width: 10 },
    { header: '字段 Key', key: 'key', width: 20 },
    { header: '中文名', key: 'nameZh', width: 18 },
    { header: 'English name', key: 'nameEn', width: 24 },
    { header: '类型 Type', key: 'type', width: 10 },
    { header: '单位 Unit', key: 'unit', width: 10 },
    { header: '必填 Required', key: 'required', width: 12 },
    { header: '代码表 Code list', key: 'codes', width: 30 },
    { header: '长度 Length', key: 'length', width: 12 },
    { header: '范围 Range', key: 'range', width: 14 },
    { header: '格式 Pattern', key: 'pattern', width: 20 },
    { header: '个人信息 Personal', key: 'personal', width: 22 },
    { header: '公开范围 Visibility', key: 'visibility', width: 24 },
    { header: '向上共享 Shared', key: 'shared', width: 10 },
    { header: '地方字段 Local', key: 'local', width: 10 },
  ];
  s.getRow(1).font = { bold: true };
  const yn = (b: boolean | undefined) => (b ? '是 yes' : '否 no');
  for (const r of f.content.resources)
    for (const x of r.fields) {
      const p = PERSONAL_LABELS[x.personal];
      const v = VISIBILITY_LABELS[x.visibility];
      s.addRow({
        resource: r.key,
        resourceName: safe(`${r.nameZh} ${r.nameEn}`),
        reviewed: yn(r.reviewed),
        lateDays: r.lateDays,
        key: x.key,
        nameZh: safe(x.nameZh),
        nameEn: safe(x.nameEn),
        type: x.type,
        unit: safe(x.unit ?? ''),
        required: x.required
          ? '是 yes'
          : x.requiredWhen
            ? `当 when ${x.requiredWhen.field} ∈ ${x.requiredWhen.in.join('/')}`
            : '否 no',
        codes: safe((x.codeList ?? []).join(', ')),
        length:
          x.minLength !== undefined || x.maxLength !== undefined ? `${x.minLength ?? 0}–${x.maxLength ?? ''}` : '',
        range:
          x.min !== undefined || x.max !== undefined || x.exclusiveMin !== undefined
            ? `${x.min ?? (x.exclusiveMin !== undefined ? `>${x.exclusiveMin}` : '')}–${x.max ?? ''}`
            : '',
        pattern: safe(x.pattern ?? ''),
        personal: `${p.zh} ${p.en}`,
        visibility: `${v.zh} ${v.en}`,
        shared: yn(x.sharedUpward),
        local: yn(x.local),
      });
    }
  s.views = [{ state: 'frozen', ySplit: 1 }];
  return await workbookBuffer(wb);
}
