import { formatShort } from '../../kernel/codes.js';
import type { PublicTrace } from './schemas.js';

/**
 * The server-rendered public page (/t/{code}): plain HTML with inline CSS, no JavaScript, no web fonts, system
 * fonts only; mobile-first (one column, 18 px text, 48 px tap targets). Chinese first, short English under headings.
 */
export const esc = (s: unknown) =>
  String(s ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

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

/** A whole page: the shared header, styles and footer around `body`. */
export function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${CSS}</style></head><body><header><b>农产品质量安全追溯</b><small>Agricultural product traceability · 查询结果</small></header><main>${body}</main><footer>国家农产品质量安全追溯 · 查询已记录 · 投诉举报电话 12316<br><a href="/complaint">投诉举报</a> · <a href="/complaint/status">投诉进度查询</a></footer></body></html>`;
}

const fmtDate = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);

function statusBlock(t: PublicTrace): string {
  const cls =
    t.status === 'recalled' || t.status === 'void' || t.status === 'at_risk'
      ? 'bad'
      : t.status === 'active'
        ? 'ok'
        : 'warn';
  const icon = cls === 'bad' ? '⚠ ' : cls === 'ok' ? '✓ ' : '! ';
  let extra = '';
  if (t.risk && !t.recall)
    extra = `<div style="font-size:16px;font-weight:400;margin-top:6px">不合格项目：${esc(t.risk.items)}；发现时间：${esc(fmtDate(t.risk.at))}</div>`;
  if (t.recall)
    extra = `<div style="font-size:16px;font-weight:400;margin-top:6px">召回编号：${esc(t.recall.number)}；召回时间：${esc(fmtDate(t.recall.at))}${t.recall.reason ? `；原因：${esc(t.recall.reason)}` : ''}</div>`;
  return `<div class="st ${cls}" id="status" data-status="${esc(t.status)}" role="status">${icon}${esc(t.statusText)}<div class="en" style="font-weight:400">${esc(t.statusTextEn)}</div>${extra}</div>`;
}

function origin(o: PublicTrace['origins'][number], i: number, n: number): string {
  const marks = o.marks.length
    ? o.marks.map((m) => `<span class="mark">${esc(m.name)}${m.number ? ` ${esc(m.number)}` : ''}</span>`).join('')
    : '<small>无</small>';
  const tests = o.tests.length
    ? `<ul>${o.tests.map((t) => `<li>${esc(fmtDate(t.at))} ${esc(t.item)}：<b>${esc(t.result)}</b>${t.agency ? `（${esc(t.agency)}）` : ''}</li>`).join('')}</ul>`
    : '<small>暂无公开检测结果</small>';
  const certs = o.certificates.length
    ? o.certificates
        .map(
          (c) =>
            `<div>承诺达标合格证 <a href="${esc(c.verifyPath)}" class="code">${esc(c.number)}</a> <small>（${esc(fmtDate(c.issuedAt))} 开具，点击核验）</small></div>`,
        )
        .join('')
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
  const code = (t.code ?? t.input).slice(0, 300);
  const href = code ? `/t/${encodeURIComponent(code)}/complaint` : '/complaint';
  return `<a class="btn sec" href="${esc(href)}" id="complain">投诉举报 · Report a problem</a>`;
}

/** `cache` (the batch's cached projection) keeps the rendered origins between requests for the same etag. */
/** Which platform issued the code (通查通识: it may be another one than this). */
function issuerLine(t: PublicTrace): string {
  const i = t.issuer;
  return i
    ? `<div id="issuer" data-platform="${esc(i.platformId)}"><small>由 ${esc(i.name)} 签发 · Issued by ${esc(i.nameEn)}</small></div>`
    : '';
}

export function renderTrace(t: PublicTrace, cache?: { originsHtml?: string }): string {
  const parts = [statusBlock(t)];
  parts.push(
    `<section><h1>${esc(t.kindName ?? '追溯码')}</h1><div class="code">${esc(t.code && /^\d{20}$/.test(t.code) ? formatShort(t.code) : (t.code ?? t.input))}</div>${issuerLine(t)}</section>`,
  );
  if (t.certificate) {
    const c = t.certificate;
    parts.push(
      `<section id="certificate"><h2>承诺达标合格证 <span class="en">Certificate</span></h2><dl><dt>编号</dt><dd class="code">${esc(c.number)}</dd><dt>产品</dt><dd>${esc(c.productName)} ${esc(c.quantity)}${esc(c.unit)}</dd><dt>开具者</dt><dd>${esc(c.subjectName)}</dd><dt>产地</dt><dd>${esc(c.origin)}</dd><dt>开具日期</dt><dd>${esc(fmtDate(c.issuedAt))}</dd></dl></section>`,
    );
  }
  if (t.subject) {
    const s = t.subject;
    parts.push(
      `<section id="subject"><h2>生产经营主体 <span class="en">Producer</span></h2><dl><dt>名称</dt><dd><b>${esc(s.name)}</b></dd><dt>类型</dt><dd>${esc(s.orgFormName)} · ${esc(s.subjectType)}</dd><dt>行业</dt><dd>${esc(s.industries.join('、'))}</dd><dt>所在地</dt><dd>${esc(s.divisionName)}</dd><dt>身份码</dt><dd class="code">${esc(s.identityCode ?? '')}</dd><dt>状态</dt><dd>${esc(s.statusText)}</dd>${s.marks.length ? `<dt>认证</dt><dd>${s.marks.map((m) => `<span class="mark">${esc(m)}</span>`).join('')}</dd>` : ''}</dl></section>`,
    );
  }
  const originsHtml = cache?.originsHtml ?? t.origins.map((o, i) => origin(o, i, t.origins.length)).join('');
  if (cache) cache.originsHtml = originsHtml;
  parts.push(originsHtml);
  if (t.moreOrigins) parts.push(`<section><small>另有 ${t.moreOrigins} 个来源批次未列出</small></section>`);
  parts.push(
    `<section><small>根据追溯查询权限规定，消费者可查询产地追溯信息。如发现质量问题或疑似假冒，请举报。</small>${complaintLink(t)}</section>`,
  );
  return page(`${t.origins[0]?.product.name ?? t.kindName ?? '追溯查询'} - 追溯查询`, parts.join(''));
}

export function renderNotFound(t: PublicTrace): string {
  const parts = [statusBlock(t)];
  parts.push(
    `<section><h1>您输入的是</h1><div class="code">${esc(t.input)}</div>${t.status === 'unavailable' ? issuerLine(t) : ''}${t.hint ? `<p id="hint"><b>${esc(t.hint)}</b><br><span class="en">${esc(t.hintEn)}</span></p>` : ''}`,
  );
  if (t.suggestions.length)
    parts.push(
      `<p>您要查的是不是：</p>${t.suggestions.map((s) => `<a class="btn sec code suggestion" href="/t/${s}">${esc(formatShort(s))}</a>`).join('')}`,
    );
  parts.push('</section>');
  parts.push(
    `<section><h2>重新输入 <span class="en">Try again</span></h2><form method="get" action="/t"><label for="c">标签上的追溯码（20 位数字）</label><input id="c" name="code" inputmode="numeric" autocomplete="off" value="${esc(t.input)}"><button type="submit">查询</button></form></section>`,
  );
  // Not found, or not a valid code at all (a wrong check digit, a wrong length): either may be a forged label.
  if (t.status === 'unknown' || t.status === 'malformed')
    parts.push(`<section><small>若号码核对无误仍查不到，可能是假冒追溯标识。</small>${complaintLink(t)}</section>`);
  return page('查询不到 - 追溯查询', parts.join(''));
}
