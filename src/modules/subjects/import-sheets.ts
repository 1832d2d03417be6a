import { newWorkbook } from '../../kernel/excel.js';
import { COLUMNS } from './import.js';
import { workbookBuffer } from '../../kernel/spreadsheet.js';

/** The historic import's template. */

/** The template: headers, dropdowns on 2,000 rows, an example row and an instructions sheet. */
export async function templateWorkbook(rows = 2000): Promise<Buffer> {
  const wb = newWorkbook();
  const ws = wb.addWorksheet('主体信息');
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  ws.addRow({
    name: '（示例，导入前请删除）从化荔枝专业合作社',
    orgForm: '合作社',
    subjectType: '生产',
    isSlaughterhouse: '否',
    industries: '种植业',
    certType: '统一社会信用代码',
    certNo: '93440117MA5XXXXXXX',
    legalPersonName: '李大山',
    contactName: '李大山',
    contactPhone: '13800138000',
    address: '广州市从化区温泉镇石海村',
    divisionCode: '440117103',
    longitude: 113.6,
    latitude: 23.6,
    certifications: '绿色食品',
    sourceRef: 'GD-2019-000123',
  });
  COLUMNS.forEach((c, i) => {
    if (!('list' in c)) return;
    const letter = ws.getColumn(i + 1).letter;
    for (let r = 2; r <= rows + 1; r++) {
      ws.getCell(`${letter}${r}`).dataValidation = {
        type: 'list',
        allowBlank: true,
        formulae: [`"${c.list.join(',')}"`],
        showErrorMessage: !('loose' in c),
        errorStyle: 'stop',
        errorTitle: '请从下拉列表选择',
        error: `可选：${c.list.join('、')}`,
      };
    }
  });
  const help = wb.addWorksheet('填写说明');
  help.columns = [{ header: '说明', key: 'a', width: 100 }];
  for (const line of [
    '带 * 的列必填；一行一个生产经营主体。',
    '企业、合作社填写 18 位统一社会信用代码；农户填写 18 位居民身份证号；家庭农场两者皆可，但须填负责人身份证号（用于查重）。',
    '证件号码会校验校验位；行政区划代码至少到县（6 位），可填乡镇（9 位）或村（12 位）。',
    '与平台已有主体重复（企业/合作社按信用代码，家庭农场/农户按身份证号）的行不会重复创建，而是合并：平台已有信息为准，只补充空缺字段，见合并报告。',
    '导入失败的行会生成“错误行”工作簿，改正后可再次导入。支持 .xlsx 与 .csv（UTF-8 或 GBK 编码，表头相同）。',
  ])
    help.addRow({ a: line });
  return await workbookBuffer(wb);
}
