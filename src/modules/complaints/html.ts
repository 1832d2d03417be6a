import { esc, page } from '../public/html.js';

/** The public complaint form and its confirmation (same look as the public trace page: no JavaScript). */
export function renderComplaintForm(
  code: string,
  error?: { field: string; message: string },
  values: Record<string, string> = {},
): string {
  const err = error ? `<div class="st bad" id="error" role="alert">${esc(error.message)}</div>` : '';
  const v = (k: string) => esc(values[k] ?? '');
  const opt = (k: string, label: string) =>
    `<option value="${k}"${values.category === k ? ' selected' : ''}>${label}</option>`;
  const aboutOpt = (k: string, label: string) =>
    `<option value="${k}"${values.about === k ? ' selected' : ''}>${label}</option>`;
  const action = code ? `/t/${encodeURIComponent(code)}/complaint` : '/complaint';
  const codeField = code
    ? `<label>追溯码或合格证编号</label><input name="code" value="${esc(code)}" readonly>`
    : `<label for="code">追溯码或合格证编号（有则填写）</label><input id="code" name="code" maxlength="64" value="${v('code')}">`;
  const back = code
    ? `<a class="btn sec" href="/t/${encodeURIComponent(code)}">返回查询结果</a>`
    : '<a class="btn sec" href="/complaint/status">查询投诉办理进度</a>';
  return page(
    '投诉举报 - 追溯查询',
    `${err}<section><h1>投诉举报</h1><p><small>您的投诉会转给生产者所在县（区）的农产品质量安全监管机构处理。</small></p>
<form method="post" action="${action}" enctype="multipart/form-data">
${codeField}
<label for="about">投诉对象</label><select id="about" name="about">${aboutOpt('product', '产品')}${aboutOpt('producer', '生产经营主体')}${aboutOpt('collector', '信息采集人员（协管员、网格员等）')}${aboutOpt('agency', '第三方服务机构')}</select>
<label for="aboutName">被投诉的主体、人员或机构名称${code ? '（可选）' : '（没有追溯码时必填）'}</label><input id="aboutName" name="aboutName" maxlength="100" value="${v('aboutName')}">
<label for="place">发生地点（可选）</label><input id="place" name="place" maxlength="200" value="${v('place')}">
<label for="category">问题类型</label><select id="category" name="category">${opt('quality', '质量问题（变质、异味、农药残留等）')}${opt('counterfeit', '疑似假冒追溯码')}${opt('label', '标签信息与商品不符')}${opt('other', '其他')}</select>
<label for="text">问题描述（必填）</label><textarea id="text" name="text" maxlength="2000" required>${v('text')}</textarea>
<label for="photo">照片（可选，JPG/PNG，5 MB 以内）</label><input id="photo" type="file" name="photo" accept="image/jpeg,image/png,image/webp">
<label for="contactName">您的称呼（可选）</label><input id="contactName" name="contactName" maxlength="50" value="${v('contactName')}">
<label for="contactPhone">联系电话（可选，便于回复您）</label><input id="contactPhone" name="contactPhone" inputmode="tel" maxlength="20" value="${v('contactPhone')}">
<button type="submit" id="submit">提交投诉</button></form>${back}</section>`,
  );
}

export function renderComplaintDone(c: { number: string; orgName: string | null }, code: string): string {
  return page(
    '已提交 - 追溯查询',
    `<div class="st ok" id="done" role="status">✓ 投诉已提交，编号 <span class="code">${esc(c.number)}</span></div><section><p>已转交：<b>${esc(c.orgName ?? '平台监管部门')}</b>。处理结果将通过您留下的电话告知，也可凭编号查询办理进度。</p><a class="btn" href="/complaint/status?number=${encodeURIComponent(c.number)}">查询办理进度</a>${code ? `<a class="btn sec" href="/t/${encodeURIComponent(code)}">返回查询结果</a>` : ''}</section>`,
  );
}

/** The status lookup page: a number field, and the complaint's progress when one was asked for. */
export function renderComplaintStatus(
  number: string,
  found: {
    statusName: string;
    orgName: string | null;
    outcome: string | null;
    createdAt: string;
    handledAt: string | null;
    aboutZh: string;
    categoryName: string;
  } | null,
): string {
  const day = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
  const result = !number
    ? ''
    : found
      ? `<div class="st ${found.outcome ? 'ok' : 'warn'}" id="status" role="status">投诉 <span class="code">${esc(number)}</span>：${esc(found.statusName)}</div><section><dl>
<dt>投诉对象</dt><dd>${esc(found.aboutZh)} · ${esc(found.categoryName)}</dd>
<dt>提交时间</dt><dd>${esc(day(found.createdAt))}</dd>
<dt>承办单位</dt><dd>${esc(found.orgName ?? '平台监管部门')}</dd>
${found.handledAt ? `<dt>最近办理</dt><dd>${esc(day(found.handledAt))}</dd>` : ''}
${found.outcome ? `<dt>处理结果</dt><dd>${esc(found.outcome)}</dd>` : ''}</dl></section>`
      : `<div class="st bad" id="status" role="alert">查无此投诉编号，请核对后再查 · No such complaint number</div>`;
  return page(
    '投诉进度查询 - 追溯查询',
    `${result}<section><h1>投诉进度查询</h1><form method="get" action="/complaint/status"><label for="number">投诉编号</label><input id="number" name="number" maxlength="40" value="${esc(number)}" placeholder="TS2026…"><button type="submit">查询</button></form><a class="btn sec" href="/complaint">我要投诉举报</a></section>`,
  );
}
