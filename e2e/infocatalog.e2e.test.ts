import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../src/kernel/calendar.js';
import { creditCodeCheckChar } from '../src/kernel/idcodes.js';
import {
  ADMIN_PASSWORD,
  desktopContext,
  launchBrowser,
  makeAccount,
  phoneContext,
  pickOption,
  proofFiles,
  type Server,
  startServer,
  uiLogin,
} from './harness.js';

/**
 * Issue 13 end to end, on one national-tier platform (PLATFORM_REGION unset): the national information administrator
 * publishes a catalogue version that makes a batch's production base required → the producer's batch form (on a
 * phone) marks it required and refuses to submit without it, and so does the API (400 naming the field, zh + en); the
 * county's information reviewer returns a batch with reasons → the producer sees them on the batch and corrects it in
 * place → the reviewer approves; a batch whose work date is 4 days before its upload is flagged late on its page and
 * counted in the county's evaluation (timeliness of its township).
 */
let server: Server;
let browser: Browser;
let admin = '';
let producer = '';
const NATIONAL = { username: 'nat_info', password: 'NatInfo2026' };
const FARMER = { username: 'wenquan_coop', password: 'Wenquan2026' };
const REVIEWER = { username: 'ch_reviewer', password: 'Reviewer2026' };
const OFFICER = { username: 'ch_eval', password: 'Officer2026' };
const TOWNSHIP = '440117103';
const COUNTY = '440117';

beforeAll(async () => {
  // A fresh database migrates at start: on a loaded shared machine that can take minutes.
  server = await startServer({}, { timeoutMs: 540_000 });
  browser = await launchBrowser();
  admin = await server.token('admin', ADMIN_PASSWORD);
  // The national information administrator, in the platform operator's (national) organisation.
  const me = await server.api<{ orgId: string }>(admin, 'GET', '/auth/me');
  await makeAccount(server, admin, {
    ...NATIONAL,
    displayName: '部信息管理员',
    orgId: me.body.orgId,
    roles: ['info_admin'],
  });
  // The producer (a cooperative in 温泉镇, 从化区), registered and approved.
  const body17 = '93440117MA5TE7X01';
  const reg = await server.api<{ applicationId: string }>(null, 'POST', '/subjects/registrations', {
    files: await proofFiles(server),
    orgForm: 'cooperative',
    subjectType: 'production',
    industries: ['planting'],
    certType: 'credit_code',
    certNo: body17 + creditCodeCheckChar(body17),
    name: '从化区温泉果蔬专业合作社',
    legalPersonName: '钟伯',
    contactName: '钟伯',
    contactPhone: '13800138011',
    address: '温泉镇石南村',
    divisionCode: TOWNSHIP,
    ...FARMER,
  });
  expect(reg.status, JSON.stringify(reg.body)).toBe(201);
  const ok = await server.api(admin, 'POST', `/subject-applications/${reg.body.applicationId}/approve`, {});
  expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  producer = await server.token(FARMER.username, FARMER.password);
  expect((await server.api(producer, 'POST', '/products', { name: '豇豆', industry: 'planting' })).status).toBe(201);
  expect(
    (await server.api(producer, 'POST', '/bases', { name: '石南村一号基地', divisionCode: TOWNSHIP })).status,
  ).toBe(201);
  // The county's supervision station: an information reviewer and an officer who reads the evaluation.
  const org = await server.api<{ id: string }>(admin, 'POST', '/organisations', {
    name: '从化区农产品质量安全监管站',
    kind: 'supervision',
    divisionCode: COUNTY,
  });
  await makeAccount(server, admin, {
    ...REVIEWER,
    displayName: '审核员陈',
    orgId: org.body.id,
    roles: ['info_reviewer'],
  });
  await makeAccount(server, admin, { ...OFFICER, displayName: '何强', orgId: org.body.id, roles: ['supervisor'] });
}, 900_000);
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function desktop(user: { username: string; password: string }): Promise<Page> {
  const page = await (await desktopContext(browser, server.url)).newPage();
  await uiLogin(page, user.username, user.password);
  await page.waitForURL((u) => u.pathname === '/');
  return page;
}
async function phone(user: { username: string; password: string }): Promise<Page> {
  const page = await (await phoneContext(browser, server.url)).newPage();
  await uiLogin(page, user.username, user.password);
  await page.waitForURL((u) => u.pathname === '/');
  return page;
}

type Batch = { id: string; batchNo: string };
const batches = async () =>
  (await server.api<{ items: Batch[]; total: number }>(producer, 'GET', '/batches?pageSize=50')).body;

/** Opens the new-batch form and fills everything but the base; the date is a China date (YYYY-MM-DD). */
async function fillBatch(page: Page, quantity: string, date: string) {
  await page.goto('/trace/batches');
  await page.getByTestId('batch-new').click();
  await pickOption(page, page.getByTestId('batch-product'), '豇豆');
  await page.getByTestId('batch-quantity').fill(quantity);
  await page.getByTestId('batch-date').fill(date);
}

describe('information resource catalogue, review and timeliness (issue 13)', { timeout: 600_000 }, () => {
  let batch: Batch;

  it('national publishes a version that requires the base: the form and the API refuse a batch without it', async () => {
    // Before: the base is optional, in the form as in the API.
    const before = await server.api<{ version: string }>(producer, 'GET', '/info-catalog/current');
    expect(before.body.version).toBe('1.0');

    const page = await desktop(NATIONAL);
    await page.goto('/info-catalog');
    await page.getByTestId('catalog-new-draft').click();
    await page.getByTestId('draft-version').fill('1.1');
    await page.getByTestId('draft-title').fill('2026 年修订：批次须填生产基地');
    await page.getByTestId('draft-ok').click();
    await expect.poll(() => page.getByTestId('catalog-version').textContent()).toContain('1.1');
    await page.getByTestId('catalog-resource-batch').click();
    const toggle = page.getByTestId('required-batch-baseId');
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('false');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true');
    // The draft saved the rule before it is published.
    await expect
      .poll(
        async () =>
          (
            await server.api<{
              content: { resources: { key: string; fields: { key: string; required: boolean }[] }[] };
            }>(admin, 'GET', '/info-catalog/versions/1.1')
          ).body.content.resources
            .find((r) => r.key === 'batch')
            ?.fields.find((f) => f.key === 'baseId')?.required,
      )
      .toBe(true);
    await page.getByTestId('catalog-publish').click();
    await expect
      .poll(async () => (await server.api<{ version: string }>(producer, 'GET', '/info-catalog/current')).body.version)
      .toBe('1.1');
    await expect.poll(() => page.getByTestId('catalog-version').textContent()).toMatch(/1\.1 · 已发布/);
    await page.context().close();

    // The producer's form (on a phone) now marks the base required and will not submit without it.
    const farmer = await phone(FARMER);
    await fillBatch(farmer, '300', chinaDate());
    const baseLabel = farmer.locator('.ant-modal-wrap:visible label', { hasText: '生产基地' });
    await expect.poll(() => baseLabel.getAttribute('class')).toContain('ant-form-item-required');
    await farmer.getByTestId('batch-submit').click();
    await expect
      .poll(() => farmer.locator('.ant-modal-wrap:visible .ant-form-item-explain-error').allTextContents())
      .toContain('生产基地是信息资源目录规定的必填项');
    expect((await batches()).total).toBe(0);

    // The API refuses the same record, naming the field and the rule in Chinese and English.
    const products = await server.api<{ id: string }[]>(producer, 'GET', '/products');
    const refused = await server.api<{ code: string; message: string; messageEn: string; field?: string }>(
      producer,
      'POST',
      '/batches',
      { productId: products.body[0].id, quantity: 300, producedAt: new Date().toISOString() },
    );
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('CATALOG_RULE_VIOLATED');
    expect(refused.body.message).toContain('生产基地');
    expect(refused.body.message).toContain('1.1');
    expect(refused.body.messageEn).toContain('baseId');
    expect(refused.body.messageEn).toContain('required');
    expect((await batches()).total).toBe(0);

    // With the base the form submits, and the batch remembers the version it was collected under.
    await pickOption(farmer, farmer.getByTestId('batch-base'), '石南村一号基地');
    await farmer.getByTestId('batch-submit').click();
    await farmer.waitForURL(/\/trace\/batches\/[0-9a-f-]{36}$/);
    await expect.poll(() => farmer.getByTestId('collection-status').textContent()).toContain('1.1');
    expect(await farmer.getByTestId('collected-on-time').count()).toBe(1);
    const list = await batches();
    expect(list.total).toBe(1);
    batch = list.items[0];
    expect(farmer.url()).toContain(batch.id);
    await farmer.context().close();
  });

  it('the reviewer returns the batch with reasons; the producer corrects it in place; the reviewer approves', async () => {
    const reviewer = await desktop(REVIEWER);
    await reviewer.goto('/reviews');
    await reviewer.getByTestId(`review-return-${batch.batchNo}`).click();
    const modal = reviewer.locator('.ant-modal-wrap:visible');
    await modal.getByText('信息不准确', { exact: true }).click();
    await reviewer.getByTestId('review-comment').fill('数量与过磅单不符，应为 280 公斤');
    await reviewer.getByTestId('review-return-ok').click();
    // The returned item leaves the pending list.
    await expect.poll(() => reviewer.getByTestId(`review-return-${batch.batchNo}`).count()).toBe(0);

    // The producer sees the reasons on the batch and corrects the quantity in place (a corrective event).
    const farmer = await phone(FARMER);
    await farmer.goto(`/trace/batches/${batch.id}`);
    const returned = farmer.getByTestId('review-returned');
    await expect.poll(() => returned.textContent()).toContain('信息不准确');
    expect(await returned.textContent()).toContain('数量与过磅单不符，应为 280 公斤');
    await expect.poll(() => farmer.getByTestId('review-state').textContent()).toContain('已退回修改');
    await farmer.getByTestId('batch-correct').click();
    const correct = farmer.locator('.ant-modal-wrap:visible');
    await correct.locator('input.ant-input-number-input').fill('280');
    await correct.locator('textarea').fill('按过磅单更正');
    await correct.getByRole('button', { name: /提交更正/ }).click();
    // Corrected in place = resubmitted: the reasons are gone and the item waits for the reviewer again.
    await expect.poll(() => farmer.getByTestId('review-state').textContent()).toContain('待审核');
    expect(await farmer.getByTestId('review-returned').count()).toBe(0);
    const detail = await server.api<{ quantity: number }>(producer, 'GET', `/batches/${batch.id}`);
    expect(detail.body.quantity).toBe(280);

    // The reviewer approves it.
    await reviewer.reload();
    await reviewer.getByTestId(`review-approve-${batch.batchNo}`).click();
    await expect.poll(() => reviewer.getByTestId(`review-approve-${batch.batchNo}`).count()).toBe(0);
    await farmer.reload();
    await expect.poll(() => farmer.getByTestId('review-state').textContent()).toContain('审核通过');
    await reviewer.context().close();
    await farmer.context().close();
  });

  it('a batch recorded 4 days after the work is flagged late and counted in the county evaluation', async () => {
    const fourDaysAgo = chinaDate(new Date(Date.now() - 4 * 86_400_000));
    const farmer = await phone(FARMER);
    await fillBatch(farmer, '120', fourDaysAgo);
    await pickOption(farmer, farmer.getByTestId('batch-base'), '石南村一号基地');
    await farmer.getByTestId('batch-submit').click();
    await farmer.waitForURL((u) => u.pathname.startsWith('/trace/batches/') && !u.pathname.endsWith(batch.id));
    const late = farmer.getByTestId('collected-late');
    await expect.poll(() => late.textContent()).toContain('迟报');
    expect(await late.textContent()).toContain('超过 3 天');
    await farmer.context().close();

    // The county's evaluation ranks its townships: 温泉镇's timeliness counts the late batch.
    const api = await server.api<{ units: { code: string; late: number; timeliness: number | null }[] }>(
      await server.token(OFFICER.username, OFFICER.password),
      'GET',
      '/evaluation',
    );
    const unit = api.body.units.find((u) => u.code === TOWNSHIP);
    expect(unit?.late).toBe(1);
    expect(unit?.timeliness).toBeLessThan(1);
    const officer = await desktop(OFFICER);
    await officer.goto('/evaluation');
    const cell = officer.getByTestId(`eval-late-${TOWNSHIP}`);
    await expect.poll(() => cell.textContent()).toContain('迟报 1');
    expect(await cell.textContent()).toContain(`${Math.round((unit?.timeliness ?? 1) * 1000) / 10}%`);
    await officer.context().close();
  });

  it('a change application is on the queue with its deadline; opened from there and approved; an agency sees its credit record', async () => {
    // The producer asks to change its contact phone: a 变更 application with a 5-working-day deadline.
    const ch = await server.api(producer, 'POST', '/my-subject/changes', {
      changes: { contactPhone: '13800138022' },
      reason: '更换联系电话',
    });
    expect(ch.status, JSON.stringify(ch.body)).toBe(200);
    const officerToken = await server.token(OFFICER.username, OFFICER.password);
    const subjectId = (await server.api<{ id: string }>(producer, 'GET', '/my-subject')).body.id;
    const app = (
      await server.api<{ items: { id: string; dueDate: string }[] }>(
        officerToken,
        'GET',
        `/subject-applications?subjectId=${subjectId}&status=pending`,
      )
    ).body.items[0];

    // The county's reviewer sees it on the one queue, its kind and its clock (the application's own due date).
    const NAME = '从化区温泉果蔬专业合作社';
    const officer = await desktop(OFFICER);
    await officer.goto('/reviews');
    const due = officer.getByTestId(`review-due-${NAME}`);
    await expect.poll(() => due.textContent()).toContain(app.dueDate);
    expect(await officer.getByText('主体变更申请', { exact: true }).count()).toBeGreaterThan(0);
    // The link opens the record itself: the review page's drawer on this application, where it is approved.
    await officer.getByTestId(`review-link-${NAME}`).click();
    await officer.waitForURL((u) => u.pathname === '/subject-reviews' && u.search.includes(app.id));
    await officer.getByTestId('drawer-approve').click();
    await expect
      .poll(
        async () =>
          (await server.api<{ contactPhone: string }>(officerToken, 'GET', `/subjects/${subjectId}`)).body.contactPhone,
      )
      .toBe('13800138022');
    const items = await server.api<{ items: { recordId: string; state: string }[] }>(
      officerToken,
      'GET',
      '/reviews?resource=subject_change',
    );
    expect(items.body.items.find((i) => i.recordId === app.id)?.state).toBe('approved');
    await officer.context().close();

    // A service agency enters three batches for the producer, each uploaded days after the work: a credit record.
    const AGENCY = { username: 'ch_agency', password: 'Agency2026' };
    const org = await server.api<{ id: string }>(admin, 'POST', '/organisations', {
      name: '从化农信采集服务社',
      kind: 'service',
      divisionCode: '4401',
    });
    await makeAccount(server, admin, {
      ...AGENCY,
      displayName: '采集员钟',
      orgId: org.body.id,
      roles: ['service_staff'],
    });
    const grant = await server.api(producer, 'POST', '/my-subject/authorisations', {
      agencyOrgId: org.body.id,
      scopes: ['batches'],
    });
    expect(grant.status, JSON.stringify(grant.body)).toBe(200);
    const agencyToken = await server.token(AGENCY.username, AGENCY.password);
    const productId = (await server.api<{ id: string }[]>(producer, 'GET', '/products')).body[0].id;
    const baseId = (await server.api<{ id: string }[]>(producer, 'GET', '/bases')).body[0].id;
    for (const d of [5, 6, 7]) {
      const res = await fetch(`${server.url}/api/v1/batches`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${agencyToken}`,
          'content-type': 'application/json',
          'x-acting-for': subjectId,
        },
        body: JSON.stringify({
          productId,
          baseId,
          quantity: 1,
          producedAt: new Date(Date.now() - d * 86_400_000).toISOString(),
        }),
      });
      expect(res.status, await res.text()).toBe(201);
    }
    // The agency opens its own credit page and sees the record.
    const agency = await desktop(AGENCY);
    await agency.goto('/credit/my-agency');
    const archive = agency.getByTestId('agency-credit');
    await expect.poll(() => archive.textContent()).toContain('未在规定时限内上传');
    expect(await archive.textContent()).toContain('从化农信采集服务社');
    await agency.context().close();
  });
});
