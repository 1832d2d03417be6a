import { formatShort } from '../../kernel/codes.js';
import type { PublicTrace } from './service.js';

/**
 * The server-rendered public page (/t/{code}): plain HTML with inline CSS, no JavaScript, no web fonts, system
 * fonts only; mobile-first (one column, 18 px text, 48 px tap targets). Chinese first, short English under headings.
 */
const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

const CSS = `*{box-sizing:border-box}body{margin:0;font:18px/1.55 -apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2328;background:#f4f6f4}
header{background:#1b6e3a;color:#fff;padding:12px 16px}header b{font-size:20px}header small,header .en{display:block;color:#d7ecdd!important;font-size:13px}
main{max-width:640px;margin:0 auto;padding:12px}section{background:#fff;border-radius:10px;padding:14px 16px;margin:0 0 12px;box-shadow:0 1px 2px #0001}
h1{font-size:22px;margin:0 0 6px}h2{font-size:18px;margin:0 0 8px;color:#1b6e3a}dl{margin:0;display:grid;grid-template-columns:6.5em 1fr;gap:6px 10px}dt{color:#59636e}dd{margin:0;word-break:break-all}
.st{padding:14px 16px;border-radius:10px;margin:0 0 12px;font-size:19px;font-weight:600}.ok{background:#e5f5ea;color:#12612d;border:2px solid #2da44e}
.warn{background:#fff4e5;color:#7a4100;border:2px solid #d4a72c}.bad{background:#ffebe9;color:#a40e26;border:3px solid #cf222e;font-size:21px}
.code{font-family:ui-monospace,Menlo,monospace;font-size:17px;letter-spacing:.5px}.mark{display:inline-block;border:1px solid #2da44e;color:#12612d;border-radius:14px;padding:2px 10px;margin:2px 4px 2px 0;font-size:15px}
a.btn,button{display:block;width:100%;min-height:48px;padding:12px;border:0;border-radius:8px;background:#1b6e3a;color:#fff;font-size:18px;text-align:center;text-decoration:none;margin-top:8px}
a.sec{background:#fff;color:#1b6e3a;border:1px solid #1b6e3a}label{display:block;margin:10px 0 4px}input,select,textarea{width:100%;min-height:48px;font-size:18px;padding:8px;border:1px solid #8c959f;border-radius:6px}
textarea{min-height:110px}small,.en{color:#59636e;font-size:14px}footer{text-align:center;color:#59636e;font-size:13px;padding:8px 0 24px}ul{padding-left:20px;margin:4px 0}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head><body><header><b>农产品质量安全追溯</b><small>Agricultural product traceability · 查询结果</small></header><main>${body}</main><footer>国家农产品质量安全追溯 · 查询已记录 · 投诉举报电话 12316</footer></body></html>`;
}

const fmtDate = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);

function statusBlock(t: PublicTrace): string {
  const cls = t.status === 'recalled' || t.status === 'void' ? 'bad' : t.status === 'active' ? 'ok' : 'warn';
  const icon = cls === 'bad' ? '⚠ ' : cls === 'ok' ? '✓ ' : '! ';
  let extra = '';
  if (t.recall) extra = `<div style="font-size:16px;font-weight:400;margin-top:6px">召回编号：${esc(t.recall.number)}；召回时间：${esc(fmtDate(t.recall.at))}${t.recall.reason ? `；原因：${esc(t.recall.reason)}` : ''}</div>`;
  return `<div class="st ${cls}" id="status" data-status="${esc(t.status)}" role="status">${icon}${esc(t.statusText)}<div class="en" style="font-weight:400">${esc(t.statusTextEn)}</div>${extra}</div>`;
}

function origin(o: PublicTrace['origins'][number], i: number, n: number): string {
  const marks = o.marks.length ? o.marks.map((m) => `<span class="mark">${esc(m.name)}${m.number ? ` ${esc(m.number)}` : ''}</span>`).join('') : '<small>无</small>';
  const tests = o.tests.length
    ? `<ul>${o.tests.map((t) => `<li>${esc(fmtDate(t.at))} ${esc(t.item)}：<b>${esc(t.result)}</b>${t.agency ? `（${esc(t.agency)}）` : ''}</li>`).join('')}</ul>`
    : '<small>暂无公开检测结果</small>';
  const certs = o.certificates.length
    ? o.certificates.map((c) => `<div>承诺达标合格证 <a href="${esc(c.verifyPath)}" class="code">${esc(c.number)}</a> <small>（${esc(fmtDate(c.issuedAt))} 开具，点击核验）</small></div>`).join('')
    : '<small>未开具</small>';
  return `<section class="origin"><h2>产地信息${n > 1 ? ` ${i + 1}/${n}` : ''} <span class="en">Origin</span></h2><dl>
<dt>产品</dt><dd><b>${esc(o.product.name)}</b></dd>
<dt>生产者</dt><dd>${esc(o.producer.name)} <small>${esc(o.producer.orgFormName)}</small>${o.producer.phone ? `<br><small>电话 ${esc(o.producer.phone)}</small>` : ''}</dd>
<dt>产地</dt><dd>${esc(o.divisionName)}</dd>
${o.base ? `<dt>生产基地</dt><dd>${esc(o.base.name)}<br><small>${esc(o.base.divisionName)}</small></dd>` : ''}
<dt>采收日期</dt><dd>${esc(o.harvestDate)}</dd>
<dt>批次号</dt><dd>${esc(o.batchNo)}</dd>
<dt>自检</dt><dd>${esc(o.selfCheck.text)}</dd>
<dt>合格证</dt><dd>${certs}</dd>
<dt>认证标志</dt><dd>${marks}</dd>
<dt>检测结果</dt><dd>${tests}</dd>
</dl></section>`;
}

function complaintLink(t: PublicTrace): string {
  const code = t.code ?? t.input;
  return `<a class="btn sec" href="/t/${encodeURIComponent(code)}/complaint" id="complain">投诉举报 · Report a problem</a>`;
}

/** `cache` (the batch's cached projection) keeps the rendered origins between requests for the same etag. */
export function renderTrace(t: PublicTrace, cache?: { originsHtml?: string }): string {
  const parts = [statusBlock(t)];
  parts.push(`<section><h1>${esc(t.kindName ?? '追溯码')}</h1><div class="code">${esc(t.code && /^\d{20}$/.test(t.code) ? formatShort(t.code) : (t.code ?? t.input))}</div></section>`);
  if (t.certificate) {
    const c = t.certificate;
    parts.push(`<section id="certificate"><h2>承诺达标合格证 <span class="en">Certificate</span></h2><dl><dt>编号</dt><dd class="code">${esc(c.number)}</dd><dt>产品</dt><dd>${esc(c.productName)} ${esc(c.quantity)}${esc(c.unit)}</dd><dt>开具者</dt><dd>${esc(c.subjectName)}</dd><dt>产地</dt><dd>${esc(c.origin)}</dd><dt>开具日期</dt><dd>${esc(fmtDate(c.issuedAt))}</dd></dl></section>`);
  }
  if (t.subject) {
    const s = t.subject;
    parts.push(`<section id="subject"><h2>生产经营主体 <span class="en">Producer</span></h2><dl><dt>名称</dt><dd><b>${esc(s.name)}</b></dd><dt>类型</dt><dd>${esc(s.orgFormName)} · ${esc(s.subjectType)}</dd><dt>行业</dt><dd>${esc(s.industries.join('、'))}</dd><dt>所在地</dt><dd>${esc(s.divisionName)}</dd><dt>身份码</dt><dd class="code">${esc(s.identityCode ?? '')}</dd><dt>状态</dt><dd>${esc(s.statusText)}</dd>${s.marks.length ? `<dt>认证</dt><dd>${s.marks.map((m) => `<span class="mark">${esc(m)}</span>`).join('')}</dd>` : ''}</dl></section>`);
  }
  const originsHtml = cache?.originsHtml ?? t.origins.map((o, i) => origin(o, i, t.origins.length)).join('');
  if (cache) cache.originsHtml = originsHtml;
  parts.push(originsHtml);
  if (t.moreOrigins) parts.push(`<section><small>另有 ${t.moreOrigins} 个来源批次未列出</small></section>`);
  parts.push(`<section><small>根据追溯查询权限规定，消费者可查询产地追溯信息。如发现质量问题或疑似假冒，请举报。</small>${complaintLink(t)}</section>`);
  return page(`${t.origins[0]?.product.name ?? t.kindName ?? '追溯查询'} - 追溯查询`, parts.join(''));
}

export function renderNotFound(t: PublicTrace): string {
  const parts = [statusBlock(t)];
  parts.push(`<section><h1>您输入的是</h1><div class="code">${esc(t.input)}</div>${t.hint ? `<p id="hint"><b>${esc(t.hint)}</b><br><span class="en">${esc(t.hintEn)}</span></p>` : ''}`);
  if (t.suggestions.length) parts.push(`<p>您要查的是不是：</p>${t.suggestions.map((s) => `<a class="btn sec code suggestion" href="/t/${s}">${esc(formatShort(s))}</a>`).join('')}`);
  parts.push('</section>');
  parts.push(`<section><h2>重新输入 <span class="en">Try again</span></h2><form method="get" action="/t"><label for="c">标签上的追溯码（20 位数字）</label><input id="c" name="code" inputmode="numeric" autocomplete="off" value="${esc(t.input)}"><button type="submit">查询</button></form></section>`);
  if (t.status === 'unknown') parts.push(`<section><small>若号码核对无误仍查不到，可能是假冒追溯标识。</small>${complaintLink(t)}</section>`);
  return page('查询不到 - 追溯查询', parts.join(''));
}

export function renderComplaintForm(code: string, error?: { field: string; message: string }, values: Record<string, string> = {}): string {
  const err = error ? `<div class="st bad" id="error" role="alert">${esc(error.message)}</div>` : '';
  const v = (k: string) => esc(values[k] ?? '');
  const opt = (k: string, label: string) => `<option value="${k}"${values.category === k ? ' selected' : ''}>${label}</option>`;
  return page(
    '投诉举报 - 追溯查询',
    `${err}<section><h1>投诉举报</h1><p><small>您的投诉会转给生产者所在县（区）的农产品质量安全监管机构处理。</small></p>
<form method="post" action="/t/${encodeURIComponent(code)}/complaint" enctype="multipart/form-data">
<label>追溯码或合格证编号</label><input name="code" value="${esc(code)}" readonly>
<label for="category">问题类型</label><select id="category" name="category">${opt('quality', '质量问题（变质、异味、农药残留等）')}${opt('counterfeit', '疑似假冒追溯码')}${opt('label', '标签信息与商品不符')}${opt('other', '其他')}</select>
<label for="text">问题描述（必填）</label><textarea id="text" name="text" maxlength="2000" required>${v('text')}</textarea>
<label for="photo">照片（可选，JPG/PNG，5 MB 以内）</label><input id="photo" type="file" name="photo" accept="image/jpeg,image/png,image/webp">
<label for="contactName">您的称呼（可选）</label><input id="contactName" name="contactName" maxlength="50" value="${v('contactName')}">
<label for="contactPhone">联系电话（可选，便于回复您）</label><input id="contactPhone" name="contactPhone" inputmode="tel" maxlength="20" value="${v('contactPhone')}">
<button type="submit" id="submit">提交投诉</button></form><a class="btn sec" href="/t/${encodeURIComponent(code)}">返回查询结果</a></section>`,
  );
}

export function renderComplaintDone(c: { number: string; orgName: string | null }, code: string): string {
  return page(
    '已提交 - 追溯查询',
    `<div class="st ok" id="done" role="status">✓ 投诉已提交，编号 <span class="code">${esc(c.number)}</span></div><section><p>已转交：<b>${esc(c.orgName ?? '平台监管部门')}</b>。处理结果将通过您留下的电话告知。</p><a class="btn sec" href="/t/${encodeURIComponent(code)}">返回查询结果</a></section>`,
  );
}
