/**
 * The permission matrix: every role × every verb × a target inside and outside the account's jurisdiction.
 * Each cell is asserted: allowed only when the role holds the verb AND the target is inside the jurisdiction.
 * A new verb without a probe here fails the coverage test, so the matrix cannot silently fall behind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, ROLE_CODES, type RoleCode, verbsOfRoles } from '../src/kernel/auth/roles.js';
import { makeCreditCode } from '../src/kernel/idcodes.js';
import { VERB_TABLE } from '../src/modules/index.js';
import { identityCode } from '../src/modules/subjects/identity.js';
import { shortCode } from '../src/kernel/codes.js';
import { type TestApp, makeProducer, makeUser, proofFiles, testApp } from './helpers.js';

const HOME = '440117'; // 广东省广州市从化区
const INSIDE_DIV = '440117001'; // a township (街道) of it
const OUTSIDE_DIV = '510104'; // 四川省成都市锦江区

interface World {
  insideOrg: string;
  outsideOrg: string;
  insideUser: string;
  outsideUser: string;
  insideSubject: string;
  outsideSubject: string;
}
type Probe = (
  t: TestApp,
  token: string,
  w: World,
  where: 'inside' | 'outside',
  n: number,
) => Promise<{ status: number; body: unknown }>;

/** One request per verb; it must succeed (2xx) when allowed, and answer 403 otherwise. */
const PROBES: Record<string, Probe> = {
  // ── information resource catalogue and review (issue 13). The catalogue is platform-wide (not jurisdictional).
  'infocatalog.read': (t, tok) => call(t, tok, 'GET', '/api/v1/info-catalog/versions'),
  'infocatalog.edit': (t, tok, _w, _where, n) =>
    call(t, tok, 'POST', '/api/v1/info-catalog/versions', { version: `probe${n}`, title: `矩阵草稿${n}` }),
  'infocatalog.publish': async (t, tok, _w, _where, n) => {
    const d = await call(t, adminToken, 'POST', '/api/v1/info-catalog/versions', {
      version: `pub${n}`,
      title: `矩阵发布${n}`,
    });
    if (d.status !== 201) throw new Error(`draft: ${JSON.stringify(d.body)}`);
    return call(t, tok, 'POST', `/api/v1/info-catalog/versions/pub${n}/publish`);
  },
  'infocatalog.import': async (t, tok, _w, _where, n) => {
    const cur = (await call(t, adminToken, 'GET', '/api/v1/info-catalog/current')).body as { version: string };
    const file = (await call(t, adminToken, 'GET', `/api/v1/info-catalog/versions/${cur.version}/export`)).body;
    return call(t, tok, 'POST', '/api/v1/info-catalog/imports', { file: { ...(file as object), version: `imp${n}` } });
  },
  // Evaluation and online patrol (issue 13): inside = HOME's township, outside = another province's county.
  'evaluation.read': (t, tok, _w, where) =>
    call(t, tok, 'GET', `/api/v1/evaluation?divisionCode=${where === 'inside' ? HOME : OUTSIDE_DIV}`),
  'evaluation.patrol': (t, tok, _w, where) =>
    call(t, tok, 'POST', '/api/v1/online-patrols', {
      targetDivision: where === 'inside' ? INSIDE_DIV : OUTSIDE_DIV,
      sampleSize: 1,
    }),
  'evaluation.notices': (t, tok) => call(t, tok, 'GET', '/api/v1/rectification-notices'),
  // Review items: inside = one of the caller's organisation in HOME; outside = another organisation's in OUTSIDE_DIV.
  'review.read': async (t, tok, w, where) =>
    call(t, tok, 'GET', `/api/v1/reviews/${await reviewItem(t, tok, w, where)}`),
  'review.decide': async (t, tok, w, where) =>
    call(t, tok, 'POST', `/api/v1/reviews/${await reviewItem(t, tok, w, where)}/decision`, { action: 'approve' }),
  'org.read': (t, tok, w, where) =>
    call(t, tok, 'GET', `/api/v1/organisations/${where === 'inside' ? w.insideOrg : w.outsideOrg}`),
  'org.create': (t, tok, _w, where, n) =>
    call(t, tok, 'POST', '/api/v1/organisations', {
      name: `矩阵机构${n}`,
      kind: 'supervision',
      divisionCode: where === 'inside' ? INSIDE_DIV : OUTSIDE_DIV,
    }),
  'org.update': (t, tok, w, where, n) =>
    call(t, tok, 'PATCH', `/api/v1/organisations/${where === 'inside' ? w.insideOrg : w.outsideOrg}`, {
      contactName: `联系人${n}`,
    }),
  'user.read': (t, tok, w, where) =>
    call(t, tok, 'GET', `/api/v1/users/${where === 'inside' ? w.insideUser : w.outsideUser}`),
  'user.create': (t, tok, w, where, n) =>
    call(t, tok, 'POST', '/api/v1/users', {
      username: `matrix${n}`,
      displayName: '矩阵',
      orgId: where === 'inside' ? w.insideOrg : w.outsideOrg,
      roles: ['supervisor'],
    }),
  'user.update': (t, tok, w, where, n) =>
    call(t, tok, 'PATCH', `/api/v1/users/${where === 'inside' ? w.insideUser : w.outsideUser}`, {
      displayName: `改名${n}`,
    }),
  'user.resetPassword': (t, tok, w, where) =>
    call(t, tok, 'POST', `/api/v1/users/${where === 'inside' ? w.insideUser : w.outsideUser}/reset-password`),
  // Listing is filtered rather than refused: outside rows must simply never appear.
  'audit.read': async (t, tok, _w, where) => {
    const res = await call(
      t,
      tok,
      'GET',
      `/api/v1/audit?pageSize=200&within=${where === 'inside' ? HOME : OUTSIDE_DIV}`,
    );
    if (res.status !== 200) return res;
    const items = (res.body as { items: { divisionCode: string }[] }).items;
    if (items.some((i) => !i.divisionCode.startsWith(HOME)))
      throw new Error('audit leaked rows outside the jurisdiction');
    if (where === 'inside' && items.length === 0) throw new Error('audit shows nothing inside the jurisdiction');
    return { status: where === 'inside' ? 200 : items.length === 0 ? 403 : 200, body: res.body };
  },
  // ── originmap ──
  'origin.read': async (t, tok, _w, where) =>
    call(t, tok, 'GET', `/api/v1/origin/records/${await originRecord(t, where, 'approved')}`),
  'origin.collect': (t, tok, _w, where, n) => call(t, tok, 'POST', '/api/v1/origin/records', originInput(where, n)),
  // The county authorises a third-party collector; a granted cell revokes at once so the next role can grant again.
  'origin.authorise': async (t, tok, _w, where) => {
    const res = await call(t, tok, 'POST', '/api/v1/origin/collectors', {
      agencyOrgId: serviceOrgId,
      countyCode: where === 'inside' ? HOME : OUTSIDE_DIV,
      confidentialityNo: 'BM-矩阵',
      confidentialitySignedOn: '2026-11-01',
    });
    const live = res.status === 200 ? (res.body as { id: string; active: boolean }[]).find((g) => g.active) : null;
    if (live) await call(t, tok, 'POST', `/api/v1/origin/collectors/${live.id}/revoke`);
    return res;
  },
  'origin.review': async (t, tok, _w, where) =>
    call(t, tok, 'POST', `/api/v1/origin/records/${await originRecord(t, where, 'submitted')}/review`, {
      action: 'approve',
    }),
  // Export is filtered rather than refused: outside rows must never appear; inside ones must.
  'origin.export': async (t, tok, _w, where) => {
    await originRecord(t, where, 'approved');
    const res = await t.req(tok, {
      method: 'GET',
      url: `/api/v1/origin/export?within=${where === 'inside' ? HOME : '510104'}`,
    });
    if (res.statusCode !== 200) return { status: res.statusCode, body: res.json() };
    const rows = Number(res.headers['x-row-count']);
    return { status: where === 'inside' ? (rows > 0 ? 200 : 500) : rows === 0 ? 403 : 200, body: { rows } };
  },
  'origin.configure': (t, tok, _w, where, n) =>
    call(t, tok, 'PUT', '/api/v1/origin/thresholds', {
      divisionCode: where === 'inside' ? HOME : '510104',
      productCode: 'pig',
      threshold: 30 + n,
    }),
  // ── subjects ──
  'subject.read': (t, tok, w, where) =>
    call(t, tok, 'GET', `/api/v1/subjects/${where === 'inside' ? w.insideSubject : w.outsideSubject}`),
  'subject.review': async (t, tok, _w, where, n) => {
    const s = await seedSubject(t, where === 'inside' ? INSIDE_DIV : OUTSIDE_DIV, 'pending', n);
    return call(t, tok, 'POST', `/api/v1/subject-applications/${s.applicationId}/approve`, {});
  },
  'subject.revoke': async (t, tok, _w, where, n) => {
    const s = await seedSubject(t, where === 'inside' ? INSIDE_DIV : OUTSIDE_DIV, 'approved', n);
    return call(t, tok, 'POST', `/api/v1/subjects/${s.subjectId}/revocation`, { reason: '矩阵测试' });
  },
  // The template is the same everywhere (imports themselves are checked row by row against the jurisdiction).
  'subject.import': (t, tok) => call(t, tok, 'GET', '/api/v1/subjects/import-template.xlsx'),
  // The producer's own record: there is no outside (services check ownership by organisation).
  'mySubject.read': (t, tok) => call(t, tok, 'GET', '/api/v1/my-subject'),
  'mySubject.resubmit': async (t, tok, _w, _where, n) => {
    await t.database.db
      .updateTable('subject')
      .set({ status: 'rejected' })
      .where('name', '=', '从化区producer_applicant合作社')
      .execute();
    return call(t, tok, 'PUT', '/api/v1/my-subject/application', {
      // The proofs a credit-code registration needs (issue 17 item 2: required at registration and resubmission).
      files: await proofFiles(t, 'credit_code'),
      orgForm: 'cooperative',
      subjectType: 'production',
      industries: ['planting'],
      name: '从化区producer_applicant合作社',
      certType: 'credit_code',
      certNo: makeCreditCode(`93440117MA${String(n).padStart(7, '0')}`),
      legalPersonName: '甲',
      contactName: '甲',
      contactPhone: '13800000000',
      address: '从化区',
      divisionCode: HOME,
    });
  },
  'mySubject.change': async (t, tok, _w, _where, n) => {
    await t.database.db
      .updateTable('subject')
      .set({ status: 'approved' })
      .where('status', '=', 'change_pending')
      .where('name', 'like', '从化区producer_%')
      .execute();
    return call(t, tok, 'POST', '/api/v1/my-subject/changes', {
      changes: { contactName: `联系人${n}` },
      reason: '矩阵',
    });
  },
  'mySubject.staff': (t, tok) => call(t, tok, 'GET', '/api/v1/my-subject/staff'),
  // ── public trace, query log, complaints (issue 6) ──
  // Producers: inside = a batch of their own subject; regulators: a batch inside HOME. Outside: a batch in OUTSIDE_DIV.
  'trace.read': async (t, tok, w, where, n) => {
    if (where === 'outside')
      return call(t, tok, 'GET', `/api/v1/trace/${await seedCode(t, w.outsideSubject, OUTSIDE_DIV, n)}`);
    const me = (await call(t, tok, 'GET', '/api/v1/auth/me')).body as { orgId: string };
    const own = await t.database.db
      .selectFrom('subject')
      .select('id')
      .where('org_id', '=', me.orgId)
      .executeTakeFirst();
    return call(t, tok, 'GET', `/api/v1/trace/${await seedCode(t, own?.id ?? w.insideSubject, HOME, n)}`);
  },
  // Listing is filtered: a row of an outside code must never appear (empty → counted as refused).
  'querylog.read': async (t, tok, w, where, n) => {
    const code = await seedCode(
      t,
      where === 'inside' ? w.insideSubject : w.outsideSubject,
      where === 'inside' ? HOME : OUTSIDE_DIV,
      n,
    );
    const res = await call(t, tok, 'GET', `/api/v1/query-logs?code=${code}`);
    if (res.status !== 200 || where === 'inside') return res;
    return { status: (res.body as { items: unknown[] }).items.length === 0 ? 403 : 200, body: res.body };
  },
  'complaint.handle': async (t, tok, _w, where, n) => {
    const c = await t.database.db
      .insertInto('complaint')
      .values({
        number: `TSM${n}`,
        code: 'x',
        batch_id: null,
        subject_id: null,
        division_code: where === 'inside' ? INSIDE_DIV : OUTSIDE_DIV,
        org_id: null,
        category: 'other',
        text: '矩阵',
        contact_name: null,
        contact_phone: null,
        photo_file_id: null,
        outcome: null,
        handled_by: null,
        handled_at: null,
        client_ip: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return call(t, tok, 'POST', `/api/v1/complaints/${c.id}/actions`, { action: 'accept' });
  },
  // ── directory, agreements, agencies ──
  'directory.read': (t, tok, _w, where) =>
    call(t, tok, 'GET', `/api/v1/directory?within=${where === 'inside' ? INSIDE_DIV : OUTSIDE_DIV}`),
  'directory.write': (t, tok, _w, where, n) =>
    call(t, tok, 'POST', '/api/v1/directory', {
      divisionCode: where === 'inside' ? INSIDE_DIV : '510104001',
      name: `名录主体${n}`,
      orgForm: 'individual',
    }),
  'agreement.read': (t, tok, _w, where) =>
    call(t, tok, 'GET', `/api/v1/agreements/unsigned?within=${where === 'inside' ? HOME : OUTSIDE_DIV}`),
  'agreement.manage': (t, tok, _w, _where, n) =>
    call(t, tok, 'POST', '/api/v1/agreement-templates', {
      title: `协议${n}`,
      body: '双方约定如实记录并上传追溯信息。',
      clauses: AGREEMENT_CLAUSES,
    }),
  'agreement.sign': async (t, tok) => {
    const tpl = await t.database.db
      .selectFrom('agreement_template')
      .select('id')
      .where('county_code', '=', HOME)
      .orderBy('version', 'desc')
      .executeTakeFirst();
    // Accepting twice is refused (409: it awaits the county); each probe starts from an unsigned producer.
    if (tpl) await t.database.db.deleteFrom('agreement_signature').where('template_id', '=', tpl.id).execute();
    return call(t, tok, 'POST', '/api/v1/my-subject/agreement', {
      templateId: tpl?.id ?? '00000000-0000-4000-8000-000000000000',
      acceptedClauses: AGREEMENT_CLAUSES.map((c) => c.key),
    });
  },
  'agency.read': (t, tok) => call(t, tok, 'GET', '/api/v1/service-agencies'),
  // Agencies are reviewed by the province: a role that holds the verb is probed through a provincial account of that role.
  'agency.review': async (t, tok, _w, where, n) => {
    // Roles without the verb are refused before the target is looked at: no registration (the public route allows
    // 20 a minute, fewer than roles × 2).
    const role = (Object.entries(tokens) as [RoleCode, string][]).find(([, v]) => v === tok)?.[0];
    if (role && !verbsOfRoles([role], VERB_TABLE).has('agency.review'))
      return call(t, tok, 'POST', '/api/v1/service-agencies/00000000-0000-4000-8000-000000000000/approve');
    const reg = await call(t, null, 'POST', '/api/v1/service-agencies/registrations', {
      name: `矩阵服务机构${n}`,
      creditCode: makeCreditCode(`91${where === 'inside' ? '440117' : '510104'}MC${String(n).padStart(7, '0')}`),
      legalPerson: '甲',
      services: '代为采集',
      divisionCode: where === 'inside' ? '4401' : '5101',
      contactName: '甲',
      contactPhone: '13800000000',
      username: `agency${n}`,
      password: 'Agency1234',
    });
    if (reg.status !== 201) throw new Error(JSON.stringify(reg.body));
    return call(
      t,
      await provincial(t, tok),
      'POST',
      `/api/v1/service-agencies/${(reg.body as { orgId: string }).orgId}/approve`,
    );
  },
  'agency.collect': (t, tok) => call(t, tok, 'GET', '/api/v1/agency/clients'),
  'mySubject.authorise': (t, tok) => call(t, tok, 'GET', '/api/v1/my-subject/authorisations'),
  // Farmers' consents (代农户办理): the list is filtered by jurisdiction; recording and acting are in farmer-consent.test.
  'farmer.assist': (t, tok) => call(t, tok, 'GET', '/api/v1/farmer-consents'),
  // Tokens belong to the caller: there is no outside. Both cells expect the same.
  'token.manage': (t, tok, _w, _where, n) =>
    call(t, tok, 'POST', '/api/v1/auth/tokens', { name: `t${n}`, verbs: ['token.manage'] }),
  // ── trace codes (issue 4). Producer verbs act on the caller's own subject: there is no "outside" (both cells
  // alike); agencies holding them (platform_admin) are refused with NOT_A_PRODUCER, see PRODUCER_ONLY below.
  'product.manage': (t, tok, _w, _where, n) =>
    call(t, tok, 'POST', '/api/v1/products', { name: `矩阵产品${n}`, industry: 'planting' }),
  'batch.create': (t, tok, _w, _where) =>
    call(t, tok, 'POST', '/api/v1/batches', {
      productId: own(tok).productId,
      quantity: 10,
      producedAt: '2026-11-20T08:00:00Z',
    }),
  'batch.read': (t, tok, _w, where) =>
    call(t, tok, 'GET', `/api/v1/batches/${where === 'inside' ? own(tok).batchId : outsideBatch.batchId}`),
  'code.issue': (t, tok) => call(t, tok, 'POST', '/api/v1/codes/issue', { batchId: own(tok).batchId }),
  'code.reserve': (t, tok) => call(t, tok, 'POST', '/api/v1/codes/reservations', { count: 10 }),
  'certificate.issue': (t, tok) =>
    call(t, tok, 'POST', '/api/v1/certificates', { productName: '矩阵产品', quantity: 1, basis: ['control'] }),
  'input.record': (t, tok) =>
    call(t, tok, 'POST', '/api/v1/input-uses', {
      baseId: own(tok).baseId,
      kind: 'fertiliser',
      name: '有机肥',
      dose: 1,
      usedOn: '2026-11-01',
    }),
  // ── supervision, monitoring, enforcement, credit (issue 8). Targets come from supWorld(): inside = 从化区, outside = 锦江区.
  'patrol.read': async (t, tok, _w, where) =>
    call(t, tok, 'GET', `/api/v1/patrols/${(await supWorld(t))[where].patrolId}`),
  'patrol.plan': (t, tok, _w, _where, n) =>
    call(t, tok, 'POST', '/api/v1/patrol-plans', {
      year: 2000 + (n % 100),
      period: 'month',
      periodNo: 1 + (Math.floor(n / 100) % 12),
      target: 5,
    }),
  'patrol.start': async (t, tok, _w, where) =>
    call(t, tok, 'POST', '/api/v1/patrols', { identityCode: (await supWorld(t))[where].identityCode }),
  'randomcheck.draw': async (t, tok, _w, where) => {
    await supWorld(t);
    return call(t, tok, 'POST', '/api/v1/random-draws', {
      title: '矩阵抽查',
      taskKind: 'patrol',
      within: where === 'inside' ? HOME : OUTSIDE_DIV,
      subjectCount: 1,
      inspectorsPerSubject: 1,
    });
  },
  'randomcheck.read': async (t, tok, _w, where) =>
    call(t, tok, 'GET', `/api/v1/random-draws/${(await supWorld(t))[where].drawId}`),
  'monitoring.read': async (t, tok, _w, where) =>
    call(t, tok, 'GET', `/api/v1/monitoring-tasks/${(await supWorld(t))[where].taskId}`),
  'monitoring.manage': async (t, tok, _w, where, n) => {
    const w = await supWorld(t);
    return call(t, tok, 'POST', '/api/v1/monitoring-tasks', {
      title: `矩阵监测${n}`,
      kind: 'routine',
      products: ['豇豆'],
      items: [{ item: '毒死蜱', unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' }],
      startDate: '2026-11-01',
      endDate: '2026-12-31',
      assignments: [
        {
          testingOrgId: w.inside.labOrgId,
          divisionCode: where === 'inside' ? HOME : OUTSIDE_DIV,
          quantity: 5,
          deadline: '2026-12-31',
        },
      ],
    });
  },
  'monitoring.sample': async (t, tok, _w, where) => {
    const w = (await supWorld(t))[where];
    return call(t, tok, 'POST', `/api/v1/monitoring-assignments/${w.assignmentId}/sheets`, {
      productName: '豇豆',
      identityCode: w.identityCode,
      place: '矩阵',
      divisionCode: w.division,
      sampledAt: '2026-11-20T08:00:00Z',
    });
  },
  'monitoring.test': async (t, tok, _w, where) => {
    const sheetId = await seedSheet(t, (await supWorld(t))[where]);
    return call(t, tok, 'POST', `/api/v1/sampling-sheets/${sheetId}/results`, {
      results: [{ item: '毒死蜱', value: 0.01, unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' }],
    });
  },
  'risk.recall': async (t, tok, _w, where) => {
    const riskId = await seedRisk(t, (await supWorld(t))[where]);
    return call(t, tok, 'POST', `/api/v1/risk-cases/${riskId}/actions`, { action: 'openRecall' });
  },
  'enforcement.read': async (t, tok, _w, where) =>
    call(t, tok, 'GET', `/api/v1/enforcement-cases/${(await supWorld(t))[where].caseId}`),
  'enforcement.manage': async (t, tok, _w, where) =>
    call(t, tok, 'POST', '/api/v1/enforcement-cases', {
      subjectId: (await supWorld(t))[where].subjectId,
      facts: '矩阵测试案件事实',
      violationType: 'false_info',
    }),
  'credit.read': async (t, tok, _w, where) =>
    call(t, tok, 'GET', `/api/v1/credit/subjects/${(await supWorld(t))[where].subjectId}`),
  // A producer's own archive: no outside.
  'credit.readOwn': (t, tok) => call(t, tok, 'GET', '/api/v1/credit/mine'),
  // A service agency's own archive: no outside.
  'credit.readAgency': (t, tok) => call(t, tok, 'GET', '/api/v1/credit/my-agency'),
  'supstats.read': (t, tok, _w, where) =>
    call(t, tok, 'GET', `/api/v1/supervision/stats?year=2026&within=${where === 'inside' ? HOME : OUTSIDE_DIV}`),
  // ── decision support (issue 18) ──
  'dashboard.read': (t, tok, _w, where) =>
    call(t, tok, 'GET', `/api/v1/dashboard?within=${where === 'inside' ? HOME : OUTSIDE_DIV}`),
  'warning.read': (t, tok, _w, where) =>
    call(t, tok, 'GET', `/api/v1/warnings?within=${where === 'inside' ? HOME : OUTSIDE_DIV}`),
  'warning.handle': async (t, tok, _w, where, n) =>
    call(
      t,
      tok,
      'POST',
      `/api/v1/warnings/${await seedWarning(t, where === 'inside' ? INSIDE_DIV : OUTSIDE_DIV, n)}/acknowledge`,
      {},
    ),
  'warning.manageRules': async (t, tok) => {
    const rule = await t.database.db.selectFrom('warning_rule').select('id').executeTakeFirstOrThrow();
    return call(t, tok, 'PATCH', `/api/v1/warning-rules/${rule.id}`, { enabled: true });
  },
  'incident.read': async (t, tok, _w, where, n) =>
    call(t, tok, 'GET', `/api/v1/incidents/${await seedIncident(t, where === 'inside' ? HOME : OUTSIDE_DIV, n)}`),
  'incident.command': async (t, tok, _w, where, n) =>
    call(
      t,
      tok,
      'POST',
      `/api/v1/incidents/${await seedIncident(t, where === 'inside' ? HOME : OUTSIDE_DIV, n)}/close`,
      {
        summary: '矩阵',
      },
    ),
  // A task for the caller's own organisation (inside) or for another agency (outside).
  'incident.task': async (t, tok, w, where, n) => {
    const me = (await t.req(tok, { method: 'GET', url: '/api/v1/auth/me' })).json();
    const org = where === 'inside' ? (me.orgId ?? me.org?.id) : w.outsideOrg;
    const id = await seedIncident(t, HOME, n, org);
    return call(t, tok, 'POST', `/api/v1/incident-tasks/${id}/actions`, { action: 'accept' });
  },
  'certification.read': (t, tok, _w, where) =>
    call(t, tok, 'GET', `/api/v1/certification/coverage?within=${where === 'inside' ? HOME : OUTSIDE_DIV}`),
  // Rows outside the jurisdiction are refused one by one in the import report: the file itself has no outside.
  'certification.manage': (t, tok) => call(t, tok, 'GET', '/api/v1/certification/registry/import-template.xlsx'),
  // ── the chain (issue 5). "Outside" is another subject's batch, sale or recall in 锦江区: refused with 403 to
  // producers (not theirs) and to agencies (out of jurisdiction) alike.
  'trade.sell': (t, tok, _w, where) =>
    call(t, tok, 'POST', '/api/v1/sales', {
      batchId: where === 'inside' ? own(tok).batchId : outsideBatch.batchId,
      quantity: 1,
      buyerKind: 'unregistered',
      buyerName: '散户',
    }),
  'trade.receive': (t, tok, _w, where) =>
    call(t, tok, 'POST', '/api/v1/receipts', {
      saleId: where === 'inside' ? (chain.incoming.get(tok) ?? chain.toOutsider) : chain.toOutsider,
      decision: 'accept',
    }),
  'trade.read': (t, tok, _w, where) =>
    call(
      t,
      tok,
      'GET',
      `/api/v1/sales/${where === 'inside' ? (chain.incoming.get(tok) ?? chain.toOutsider) : chain.outsideSale}`,
    ),
  'trade.verify': (t, tok) => call(t, tok, 'POST', '/api/v1/voucher-checks', { code: chain.voucher }),
  'anomaly.scan': (t, tok) => call(t, tok, 'POST', '/api/v1/anomalies/scan'),
  'lineage.read': (t, tok, _w, where) =>
    call(t, tok, 'GET', `/api/v1/batches/${where === 'inside' ? own(tok).batchId : outsideBatch.batchId}/forward`),
  'lineage.graph': (t, tok, _w, where) =>
    call(t, tok, 'GET', `/api/v1/batches/${where === 'inside' ? own(tok).batchId : outsideBatch.batchId}/graph`),
  'batch.transform': (t, tok, _w, where) =>
    call(t, tok, 'POST', `/api/v1/batches/${where === 'inside' ? own(tok).batchId : outsideBatch.batchId}/split`, {
      parts: [{ quantity: 1 }],
    }),
  'recall.open': async (t, tok, _w, where) => {
    if (where === 'outside')
      return call(t, tok, 'POST', '/api/v1/recalls', { batchId: outsideBatch.batchId, reason: '矩阵召回' });
    // A fresh batch each time (one open recall per batch): the caller's own when it is a producer.
    const maker = producerWorlds.has(tok) ? tok : tokens.producer_admin;
    const b = await call(t, maker, 'POST', '/api/v1/batches', {
      productId: own(maker).productId,
      quantity: 5,
      producedAt: '2026-11-20T08:00:00Z',
    });
    return call(t, tok, 'POST', '/api/v1/recalls', { batchId: (b.body as { id: string }).id, reason: '矩阵召回' });
  },
  'recall.read': (t, tok, _w, where) =>
    call(t, tok, 'GET', `/api/v1/recalls/${where === 'inside' ? chain.recall : chain.outsideRecall}`),
  'recall.acknowledge': (t, tok, _w, where) =>
    call(t, tok, 'POST', `/api/v1/recalls/${where === 'inside' ? chain.recall : chain.outsideRecall}/acknowledge`, {}),
  // EPCIS 2.0 capture and query (issue 14 item 4): captured events are the caller's producer's own, and the query
  // is a list filtered by the reader's scope (test/epcis.test.ts asserts what each reader sees).
  'epcis.capture': (t, tok, _w, _where, n) =>
    call(t, tok, 'POST', '/api/v1/epcis/capture', {
      '@context': ['https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld'],
      type: 'EPCISDocument',
      schemaVersion: '2.0',
      creationDate: '2026-11-20T00:00:00Z',
      epcisBody: {
        eventList: [
          {
            type: 'ObjectEvent',
            eventTime: '2026-11-20T00:00:00Z',
            eventTimeZoneOffset: '+08:00',
            action: 'OBSERVE',
            epcList: [`urn:epc:id:sgtin:0614141.107346.${n}`],
          },
        ],
      },
    }),
  'epcis.read': (t, tok) => call(t, tok, 'GET', '/api/v1/epcis/events?perPage=5'),
  // upward sharing (issue 14)
  'sharing.manage': (t, tok) => call(t, tok, 'GET', '/api/v1/sharing/connections'),
  'sharing.read': (t, tok, _w, where) =>
    call(t, tok, 'GET', `/api/v1/sharing/records?divisionCode=${where === 'inside' ? INSIDE_DIV : OUTSIDE_DIV}`),
  // A correction requested on a shared-in record of the division (issue 14 item 5).
  'sharing.correct': async (t, tok, _w, where, n) => {
    const recordId = `matrix-${n}`;
    await t.database.db
      .insertInto('shared_record')
      .values({
        origin_platform: 'province-44',
        sender_platform: 'province-44',
        sender_seq: 1_000_000 + n,
        resource: 'subject',
        record_id: recordId,
        version: 1,
        division_code: where === 'inside' ? INSIDE_DIV : OUTSIDE_DIV,
        catalog_version: '1.0',
        content_hash: `h${n}`,
        payload: JSON.stringify({ name: '矩阵主体' }),
        origin_created_at: new Date(),
      })
      .execute();
    return call(t, tok, 'POST', '/api/v1/sharing/corrections', {
      originPlatform: 'province-44',
      resource: 'subject',
      recordId,
      fields: ['name'],
      reason: '名称与营业执照不符',
    });
  },
};

/** Chain fixtures (issue 5): sales waiting for each producer role, a sale outside, a market voucher, recalls. */
const chain = {
  incoming: new Map<string, string>(),
  toOutsider: '',
  outsideSale: '',
  voucher: '',
  recall: '',
  outsideRecall: '',
};
const ORIGIN_OUTSIDE_TOWN = '510104017'; // 成都市锦江区锦官驿街道
function originInput(where: 'inside' | 'outside', n: number) {
  const inside = where === 'inside';
  return {
    divisionCode: inside ? INSIDE_DIV : ORIGIN_OUTSIDE_TOWN,
    subjectName: `矩阵农户${n}`,
    subjectType: 'farmer',
    productCode: 'cowpea',
    baseAddress: `矩阵基地${n}`,
    longitude: inside ? 113.5867 : 104.08,
    latitude: inside ? 23.5487 : 30.65,
    contactName: '矩阵',
    contactPhone: '13800138000',
    scale: 2,
    productionMethod: 'open_field',
  };
}
/** A fresh origin record inside or outside (written directly, so the probe of one verb does not depend on another). */
async function originRecord(
  t: TestApp,
  where: 'inside' | 'outside',
  status: 'approved' | 'submitted',
): Promise<string> {
  const input = originInput(where, Math.floor(Math.random() * 1e9));
  const row = await t.database.db
    .insertInto('origin_record')
    .values({
      record_key: `matrix-${Math.random()}`,
      division_code: input.divisionCode,
      county_code: input.divisionCode.slice(0, 6),
      subject_name: input.subjectName,
      subject_type: 'farmer',
      credit_code: null,
      subject_id: null,
      product_code: 'cowpea',
      alias: null,
      base_address: input.baseAddress,
      longitude: input.longitude,
      latitude: input.latitude,
      geo_check: 'inside',
      gps_accuracy_m: null,
      contact_name: '矩阵',
      contact_phone: '13800138000',
      scale: 2,
      market_start: null,
      market_end: null,
      production_method: 'open_field',
      grid_worker_name: null,
      grid_worker_phone: null,
      collector_name: null,
      collector_phone: null,
      status,
      review_comment: null,
      reviewed_by: null,
      reviewed_at: null,
      approved_at: status === 'approved' ? new Date() : null,
      created_by: null,
      updated_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A pending review item (issue 13) inside (the caller's organisation, in HOME) or outside. */
async function reviewItem(t: TestApp, tok: string, w: World, where: 'inside' | 'outside'): Promise<string> {
  const me = (await call(t, tok, 'GET', '/api/v1/auth/me')).body as { orgId: string };
  const row = await t.database.db
    .insertInto('review_item')
    .values({
      resource: 'batch',
      resource_zh: '生产批次',
      resource_en: 'Production batch',
      record_id: crypto.randomUUID(),
      label: '矩阵审核',
      org_id: where === 'inside' ? me.orgId : w.outsideOrg,
      collector_id: null,
      division_code: where === 'inside' ? INSIDE_DIV : OUTSIDE_DIV,
      due_at: new Date(Date.now() + 86_400_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Verbs whose target is the caller's own (no jurisdiction to be outside of). */
const NOT_JURISDICTIONAL = new Set([
  'infocatalog.read',
  'infocatalog.edit',
  'infocatalog.publish',
  'infocatalog.import',
  'evaluation.notices',
  'trade.verify',
  'anomaly.scan',
  'token.manage',
  'subject.import',
  'agreement.manage',
  'agreement.sign',
  'agency.read',
  'agency.collect',
  'mySubject.authorise',
  'farmer.assist',
  'mySubject.read',
  'mySubject.resubmit',
  'mySubject.change',
  'mySubject.staff',
  'patrol.plan',
  'credit.readOwn',
  'credit.readAgency',
  'warning.manageRules',
  'certification.manage',
  'sharing.manage',
  'epcis.capture',
  'epcis.read',
]);

// ── supervision targets (issue 8), made once per run straight in the database ──
interface SupSide {
  division: string;
  subjectId: string;
  identityCode: string;
  patrolId: string;
  drawId: string;
  taskId: string;
  assignmentId: string;
  caseId: string;
  labOrgId: string;
}
let supPromise: Promise<{ inside: SupSide; outside: SupSide }> | null = null;
function supWorld(t: TestApp) {
  supPromise ??= (async () => ({
    inside: await supSide(t, INSIDE_DIV, 910001),
    outside: await supSide(t, OUTSIDE_DIV, 910002),
  }))();
  return supPromise;
}
async function supSide(t: TestApp, division: string, n: number): Promise<SupSide> {
  const db = t.database.db;
  const { subjectId } = await seedSubject(t, division, 'approved', n);
  const s = await db.selectFrom('subject').select(['cert_no']).where('id', '=', subjectId).executeTakeFirstOrThrow();
  const code = identityCode({
    orgForm: 'cooperative',
    certType: 'credit_code',
    certNo: s.cert_no,
    personalIdNo: null,
    countyCode: division.slice(0, 6),
    secret: 'x',
  });
  await db.updateTable('subject').set({ identity_code: code }).where('id', '=', subjectId).execute();
  // Inside, the lab is the matrix inspector's own organisation; outside, a lab of 锦江区.
  const lab =
    division === INSIDE_DIV
      ? await db
          .selectFrom('account')
          .select('org_id as id')
          .where('username', '=', 'role_inspector')
          .executeTakeFirstOrThrow()
      : await db
          .insertInto('organisation')
          .values({
            name: '锦江区检测站',
            kind: 'testing',
            division_code: OUTSIDE_DIV,
            contact_name: null,
            contact_phone: null,
            address: null,
            created_by: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
  const tpl = await db.selectFrom('patrol_template').select('id').orderBy('code').executeTakeFirstOrThrow();
  const someone = await db.selectFrom('account').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
  const patrol = await db
    .insertInto('patrol')
    .values({
      org_id: lab.id,
      division_code: division,
      subject_id: subjectId,
      target: 'base',
      template_id: tpl.id,
      plan_id: null,
      task_id: null,
      inspector_id: someone.id,
      inspector_name: '矩阵',
      result: null,
      checklist: '[]',
      findings: null,
      signature_file_id: null,
      signer_name: null,
      longitude: null,
      latitude: null,
      accuracy_m: null,
      submitted_at: null,
      follow_up_note: null,
      closed_at: null,
      closed_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const draw = await db
    .insertInto('random_draw')
    .values({
      org_id: lab.id,
      division_code: division,
      title: '矩阵',
      task_kind: 'patrol',
      seed: 's',
      algorithm: 'sha256-ctr/fisher-yates/v1',
      subject_filter: JSON.stringify({ within: division, industries: [], orgForms: [] }),
      subject_pool: [subjectId],
      inspector_pool: [someone.id],
      subject_count: 1,
      inspectors_per_subject: 1,
      result: JSON.stringify([{ subjectId, inspectorIds: [someone.id] }]),
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const task = await db
    .insertInto('monitoring_task')
    .values({
      code: `JCMATRIX${n}`,
      title: '矩阵监测',
      kind: 'routine',
      level: 'county',
      org_id: lab.id,
      division_code: division.slice(0, 6),
      products: ['豇豆'],
      items: JSON.stringify([{ item: '毒死蜱', unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' }]),
      start_date: '2026-11-01',
      end_date: '2026-12-31',
      draw_id: null,
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const asg = await db
    .insertInto('monitoring_assignment')
    .values({
      task_id: task.id,
      testing_org_id: lab.id,
      division_code: division.slice(0, 6),
      quantity: 1000,
      deadline: '2026-12-31',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const c = await db
    .insertInto('enforcement_case')
    .values({
      case_no: `矩阵${n}`,
      org_id: lab.id,
      division_code: division,
      subject_id: subjectId,
      party_name: '矩阵',
      product_name: null,
      trace_code: null,
      batch_id: null,
      facts: '矩阵',
      violation_type: 'other',
      source_type: null,
      source_id: null,
      decision: null,
      fine_yuan: null,
      credit_record_id: null,
      created_by: null,
      decided_at: null,
      closed_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    division,
    subjectId,
    identityCode: code,
    patrolId: patrol.id,
    drawId: draw.id,
    taskId: task.id,
    assignmentId: asg.id,
    caseId: c.id,
    labOrgId: lab.id,
  };
}
let sheetSeq = 0;
async function seedSheet(t: TestApp, w: SupSide): Promise<string> {
  const a = await t.database.db
    .selectFrom('monitoring_assignment')
    .selectAll()
    .where('id', '=', w.assignmentId)
    .executeTakeFirstOrThrow();
  const someone = await t.database.db
    .selectFrom('account')
    .select('id')
    .where('username', '=', 'admin')
    .executeTakeFirstOrThrow();
  const row = await t.database.db
    .insertInto('sampling_sheet')
    .values({
      assignment_id: a.id,
      task_id: a.task_id,
      testing_org_id: a.testing_org_id,
      sample_code: `MATRIX-${++sheetSeq}`,
      product_name: '豇豆',
      trace_code: null,
      batch_id: null,
      temp_code: `TMATRIX${sheetSeq}`,
      subject_id: w.subjectId,
      temp_subject: null,
      place: '矩阵',
      division_code: w.division,
      sampled_at: new Date(),
      longitude: null,
      latitude: null,
      quantity: null,
      sampler_id: someone.id,
      sampler_name: '矩阵',
      tested_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
async function seedRisk(t: TestApp, w: SupSide): Promise<string> {
  const sheetId = await seedSheet(t, w);
  const row = await t.database.db
    .insertInto('risk_case')
    .values({
      sheet_id: sheetId,
      subject_id: w.subjectId,
      subject_name: '矩阵',
      trace_code: null,
      batch_id: null,
      product_name: '豇豆',
      county_code: w.division.slice(0, 6),
      division_code: w.division,
      failed_items: '[]',
      trace: JSON.stringify({ status: 'unavailable', backward: [], forward: [], noteZh: '矩阵', noteEn: 'matrix' }),
      proposed_recall: JSON.stringify({
        reasonZh: '矩阵',
        reasonEn: 'matrix',
        traceCode: null,
        scopeZh: '矩阵',
        scopeEn: 'matrix',
      }),
      recall_id: null,
      credit_record_id: null,
      recall_opened_at: null,
      recall_opened_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A subject written straight to the database, with a pending registration application when `status` is pending. */
async function seedSubject(t: TestApp, division: string, status: 'pending' | 'approved', n: number) {
  const db = t.database.db;
  const org = await db
    .insertInto('organisation')
    .values({
      name: `矩阵主体${n}`,
      kind: 'producer',
      division_code: division,
      contact_name: null,
      contact_phone: null,
      address: null,
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const certNo = makeCreditCode(`93${division.slice(0, 6)}MB${String(n).padStart(7, '0')}`);
  const s = await db
    .insertInto('subject')
    .values({
      org_id: org.id,
      name: `矩阵主体${n}`,
      org_form: 'cooperative',
      subject_type: 'production',
      industries: ['planting'],
      cert_type: 'credit_code',
      cert_no: certNo,
      dedup_key: `C${certNo}`,
      legal_person_name: '甲',
      legal_person_id_no: null,
      legal_person_phone: null,
      contact_name: '甲',
      contact_phone: '13800000000',
      contact_email: null,
      address: '某地',
      division_code: division,
      longitude: null,
      latitude: null,
      status,
      identity_code: null,
      approved_at: null,
      source_ref: null,
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const app = await db
    .insertInto('subject_application')
    .values({
      subject_id: s.id,
      kind: 'register',
      status: status === 'pending' ? 'pending' : 'approved',
      data: '{}',
      reason: null,
      division_code: division,
      submitted_by: null,
      due_date: '2030-01-01',
      decided_at: null,
      decided_by: null,
      decided_by_name: null,
      decision_note: null,
      reasons: '[]',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { subjectId: s.id, applicationId: app.id };
}

/** A production batch with an active code of `subjectId`, and one logged query of it; returns the short code. */
async function seedCode(t: TestApp, subjectId: string, division: string, n: number): Promise<string> {
  const db = t.database.db;
  const p = await db
    .insertInto('product')
    .values({
      subject_id: subjectId,
      division_code: division,
      name: `矩阵产品${n}`,
      industry: 'planting',
      classification: null,
      key_product: null,
      unit: 'kg',
      certifications: '[]',
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const serial = 5_000_000 + n;
  const b = await db
    .insertInto('batch')
    .values({
      subject_id: subjectId,
      division_code: division,
      kind: 'production',
      batch_no: `M-${n}`,
      product_id: p.id,
      base_id: null,
      quantity: 1,
      unit: 'kg',
      produced_at: new Date(),
      self_check: 'untested',
      self_check_note: null,
      code_serial: serial,
      stock: 1,
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('trace_code')
    .values({
      kind: 1,
      serial,
      status: 'A',
      subject_id: subjectId,
      batch_id: b.id,
      reservation_id: null,
      activated_at: new Date(),
    })
    .execute();
  await db
    .insertInto('query_log')
    .values({
      at: new Date(),
      code: shortCode({ kind: 'production', platform: '000000', serial }),
      code_kind: 1,
      code_serial: serial,
      result: 'active',
      channel: 'json',
      viewer: 'consumer',
      actor_id: null,
      subject_id: subjectId,
      division_code: division,
      client_ip: '127.0.0.1',
      client_net: '127.0.0.0/24',
      user_agent: null,
      latitude: null,
      longitude: null,
    })
    .execute();
  return shortCode({ kind: 'production', platform: '000000', serial });
}

/** Trace-code verbs acting on the caller's own producer data only (platform admins do not hold producer-only verbs). */
const OWN_DATA = new Set([
  'product.manage',
  'batch.create',
  'code.issue',
  'code.reserve',
  'certificate.issue',
  'input.record',
]);

interface ProducerWorld {
  productId: string;
  baseId: string;
  batchId: string;
}
const producerWorlds = new Map<string, ProducerWorld>();
let serviceOrgId = '';
let insideBatch: ProducerWorld;
let outsideBatch: ProducerWorld;
/** The caller's own product/base/batch when it is a producer; an inside batch otherwise (regulators read it). */
const own = (tok: string): ProducerWorld => producerWorlds.get(tok) ?? insideBatch;

async function makeProducerWorld(t: TestApp, token: string, township: string, n: number): Promise<ProducerWorld> {
  const p = await call(t, token, 'POST', '/api/v1/products', { name: `矩阵基础产品${n}`, industry: 'planting' });
  const b = await call(t, token, 'POST', '/api/v1/bases', { name: `矩阵基地${n}`, divisionCode: township });
  if (p.status !== 201 || b.status !== 201) throw new Error(`producer world: ${JSON.stringify([p.body, b.body])}`);
  const productId = (p.body as { id: string }).id;
  const baseId = (b.body as { id: string }).id;
  const batch = await call(t, token, 'POST', '/api/v1/batches', {
    productId,
    baseId,
    quantity: 100,
    producedAt: '2026-11-20T08:00:00Z',
  });
  if (batch.status !== 201) throw new Error(`producer world: ${JSON.stringify(batch.body)}`);
  return { productId, baseId, batchId: (batch.body as { id: string }).id };
}

/** A provincial (44 广东) account with the same role as `token`, for verbs only provinces exercise. */
const provincialTokens = new Map<string, string>();
async function provincial(t: TestApp, token: string): Promise<string> {
  const role = (Object.entries(tokens) as [RoleCode, string][]).find(([, v]) => v === token)?.[0];
  if (!role || ORG_KIND_FOR[role] === 'producer' || !verbsOfRoles([role], VERB_TABLE).has('agency.review'))
    return token;
  let p = provincialTokens.get(role);
  if (!p) {
    p = (
      await makeUser(t, adminToken, {
        username: `prov_${role}`,
        orgName: `广东省${role}机构`,
        kind: ORG_KIND_FOR[role],
        divisionCode: '44',
        roles: [role],
      })
    ).token;
    provincialTokens.set(role, p);
  }
  return p;
}

/** Service-agency staff act for the producer that authorised them (代录): the header names it. */
const actingFor = new Map<string, string>();

/** The clauses seed 001 art. 10 requires in every agreement (issue 17 item 3). */
const AGREEMENT_CLAUSES = [
  { key: 'info_collection', text: '如实采集并上传追溯信息。' },
  { key: 'info_transfer', text: '销售时向下游传递追溯信息。' },
  { key: 'scan_trading', text: '交易时扫码确认。' },
  { key: 'truthfulness', text: '承诺信息真实准确。' },
] as const;

async function call(t: TestApp, token: string | null, method: string, url: string, payload?: unknown) {
  const acting = token ? actingFor.get(token) : undefined;
  const res = await t.req(token, {
    method: method as 'GET',
    url,
    payload: payload as object,
    headers: acting ? { 'x-acting-for': acting } : {},
  });
  const json = (res.headers['content-type'] ?? '').toString().startsWith('application/json');
  return {
    status: res.statusCode,
    body: json ? res.json() : `${res.headers['content-type']} (${res.rawPayload.length} bytes)`,
  };
}

const ORG_KIND_FOR: Record<RoleCode, string> = {
  platform_admin: 'operator',
  info_admin: 'supervision',
  supervisor: 'supervision',
  collector: 'supervision',
  inspector: 'testing',
  enforcer: 'enforcement',
  service_staff: 'service',
  info_reviewer: 'supervision',
  producer_applicant: 'producer',
  producer_admin: 'producer',
  producer_staff: 'producer',
  market_staff: 'producer',
};

let t: TestApp;
const tokens = {} as Record<RoleCode, string>;
let world: World;

let adminToken = '';
beforeAll(async () => {
  t = await testApp();
  const admin = await t.login('admin');
  adminToken = admin;
  const inside = await makeUser(t, admin, {
    username: 'inside_target',
    orgName: '从化区某街道监管站',
    divisionCode: INSIDE_DIV,
    roles: ['supervisor'],
  });
  const outside = await makeUser(t, admin, {
    username: 'outside_target',
    orgName: '锦江区监管站',
    divisionCode: OUTSIDE_DIV,
    roles: ['supervisor'],
  });
  const insideSubject = await seedSubject(t, INSIDE_DIV, 'approved', 900001);
  const outsideSubject = await seedSubject(t, OUTSIDE_DIV, 'approved', 900002);
  await t.database.db
    .insertInto('agreement_template')
    .values({
      county_code: HOME,
      version: 1,
      title: '从化区农产品质量安全追溯协议',
      body: '双方约定如实记录并上传追溯信息。',
      clauses: JSON.stringify(AGREEMENT_CLAUSES),
      created_by: null,
    })
    .execute();
  world = {
    insideOrg: inside.orgId,
    outsideOrg: outside.orgId,
    insideUser: inside.userId,
    outsideUser: outside.userId,
    insideSubject: insideSubject.subjectId,
    outsideSubject: outsideSubject.subjectId,
  };
  for (const role of ROLE_CODES) {
    if (ORG_KIND_FOR[role] === 'producer') {
      // Producers are not created through /organisations: they register (or are imported) as subjects.
      const p = await makeProducer(t, {
        username: `role_${role}`,
        name: `从化区${role}合作社`,
        divisionCode: HOME,
        roles: [role],
        status: role === 'producer_applicant' ? 'rejected' : 'approved',
      });
      tokens[role] = p.token;
      continue;
    }
    const u = await makeUser(t, admin, {
      username: `role_${role}`,
      orgName: `从化区${role}机构`,
      kind: ORG_KIND_FOR[role],
      divisionCode: HOME,
      roles: [role],
    });
    tokens[role] = u.token;
  }
  for (const role of ['producer_admin', 'producer_staff'] as const)
    producerWorlds.set(tokens[role], await makeProducerWorld(t, tokens[role], INSIDE_DIV, producerWorlds.size));
  // The service agency's client: a producer that authorised it for every scope (issue 17 item 1).
  const client = await makeProducer(t, { username: 'role_client', name: '从化区代录客户合作社', divisionCode: HOME });
  const agencyOrg = await t.database.db
    .selectFrom('account')
    .select('org_id')
    .where('username', '=', 'role_service_staff')
    .executeTakeFirstOrThrow();
  serviceOrgId = agencyOrg.org_id;
  const granted = await call(t, client.token, 'POST', '/api/v1/my-subject/authorisations', {
    agencyOrgId: agencyOrg.org_id,
    scopes: ['products', 'bases', 'batches', 'certificates', 'inputs', 'sales', 'origin'],
  });
  if (granted.status !== 200) throw new Error(`authorise agency: ${JSON.stringify(granted.body)}`);
  actingFor.set(tokens.service_staff, client.subjectId);
  producerWorlds.set(tokens.service_staff, await makeProducerWorld(t, tokens.service_staff, INSIDE_DIV, 90));
  insideBatch = producerWorlds.get(tokens.producer_admin) as ProducerWorld;
  const outsider = await makeProducer(t, {
    username: 'outside_producer',
    name: '锦江区矩阵农场',
    divisionCode: OUTSIDE_DIV,
  });
  outsideBatch = await makeProducerWorld(t, outsider.token, '510104017', 99);
  // Chain fixtures (issue 5).
  for (const role of ROLE_CODES)
    if (ORG_KIND_FOR[role] === 'producer')
      await t.database.db
        .updateTable('subject')
        .set({ identity_code: `MX${role.toUpperCase()}` })
        .where('name', '=', `从化区${role}合作社`)
        .execute();
  await t.database.db
    .updateTable('subject')
    .set({ identity_code: 'MXCLIENT' })
    .where('name', '=', '从化区代录客户合作社')
    .execute();
  await t.database.db
    .updateTable('subject')
    .set({ identity_code: 'MXOUTSIDE' })
    .where('name', '=', '锦江区矩阵农场')
    .execute();
  const sale = async (tok: string, body: Record<string, unknown>) => {
    const r = await call(t, tok, 'POST', '/api/v1/sales', { quantity: 1, ...body });
    if (r.status !== 201) throw new Error(`chain fixture: ${JSON.stringify(r.body)}`);
    return (r.body as { id: string; voucherCode: string }).id
      ? (r.body as { id: string; voucherCode: string })
      : { id: '', voucherCode: '' };
  };
  for (const role of ['producer_admin', 'producer_staff'] as const)
    chain.incoming.set(
      tokens[role],
      (
        await sale(outsider.token, {
          batchId: outsideBatch.batchId,
          buyerKind: 'registered',
          buyerIdentityCode: `MX${role.toUpperCase()}`,
        })
      ).id,
    );
  chain.incoming.set(
    tokens.service_staff,
    (
      await sale(outsider.token, {
        batchId: outsideBatch.batchId,
        buyerKind: 'registered',
        buyerIdentityCode: 'MXCLIENT',
      })
    ).id,
  );
  const m = await sale(tokens.producer_admin, {
    batchId: insideBatch.batchId,
    buyerKind: 'market',
    buyerIdentityCode: 'MXMARKET_STAFF',
  });
  chain.incoming.set(tokens.market_staff, m.id);
  chain.voucher = m.voucherCode;
  chain.toOutsider = (
    await sale(tokens.producer_admin, {
      batchId: insideBatch.batchId,
      buyerKind: 'registered',
      buyerIdentityCode: 'MXOUTSIDE',
    })
  ).id;
  chain.outsideSale = (
    await sale(outsider.token, { batchId: outsideBatch.batchId, buyerKind: 'unregistered', buyerName: '散户' })
  ).id;
  // A recall of a lot the producer_admin sold to the producer_staff: both are holders.
  const lot = await makeProducerWorld(t, tokens.producer_admin, INSIDE_DIV, 98);
  const toStaff = await sale(tokens.producer_admin, {
    batchId: lot.batchId,
    buyerKind: 'registered',
    buyerIdentityCode: 'MXPRODUCER_STAFF',
  });
  await call(t, tokens.producer_staff, 'POST', '/api/v1/receipts', { saleId: toStaff.id, decision: 'accept' });
  chain.recall = (
    (await call(t, tokens.producer_admin, 'POST', '/api/v1/recalls', { batchId: lot.batchId, reason: '矩阵召回' }))
      .body as { id: string }
  ).id;
  const outLot = await makeProducerWorld(t, outsider.token, '510104017', 97);
  chain.outsideRecall = (
    (await call(t, outsider.token, 'POST', '/api/v1/recalls', { batchId: outLot.batchId, reason: '矩阵召回' }))
      .body as { id: string }
  ).id;
});
afterAll(() => t?.close());

describe('permission matrix', () => {
  it('has a probe for every verb', () => {
    expect(Object.keys(PROBES).sort()).toEqual(Object.keys(VERB_TABLE).sort());
  });

  let n = 0;
  for (const role of ROLE_CODES) {
    for (const verb of Object.keys(PROBES)) {
      for (const where of ['inside', 'outside'] as const) {
        const holds = verbsOfRoles([role], VERB_TABLE).has(verb);
        const jurisdictional = !NOT_JURISDICTIONAL.has(verb) && !OWN_DATA.has(verb);
        const allowed = holds && (where === 'inside' || !jurisdictional);
        it(`${role} (${ROLES[role].zh}) ${allowed ? 'may' : 'may not'} ${verb} ${where}`, async () => {
          const res = await PROBES[verb](t, tokens[role], world, where, ++n);
          if (allowed) expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
          else expect(res.status, JSON.stringify(res.body)).toBe(403);
        });
      }
    }
  }
});

// ── issue 18: a fresh open warning per probe, straight in the database ──
async function seedWarning(t: TestApp, division: string, n: number): Promise<string> {
  const rule = await t.database.db.selectFrom('warning_rule').select('id').executeTakeFirstOrThrow();
  const w = await t.database.db
    .insertInto('warning')
    .values({
      rule_id: rule.id,
      key: `matrix-${n}`,
      division_code: division,
      title_zh: '矩阵',
      title_en: 'matrix',
      details: '{}',
      link: null,
      acknowledged_at: null,
      acknowledged_by: null,
      handled_at: null,
      handled_by: null,
      outcome: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return w.id;
}

/** An open incident at `division` (with `taskOrg`: returns the id of a task dispatched to that organisation instead). */
async function seedIncident(t: TestApp, division: string, n: number, taskOrg?: string): Promise<string> {
  const i = await t.database.db
    .insertInto('incident')
    .values({
      number: `YJMATRIX${n}`,
      title: '矩阵',
      kind: 'other',
      source_type: null,
      source_id: null,
      batch_id: null,
      trace_code: null,
      product_name: null,
      division_code: division,
      description: '矩阵',
      affected: '[]',
      summary: null,
      opened_by: null,
      closed_by: null,
      closed_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (!taskOrg) return i.id;
  const task = await t.database.db
    .insertInto('incident_task')
    .values({
      incident_id: i.id,
      kind: 'sampling',
      org_id: taskOrg,
      division_code: division,
      target: null,
      instructions: '矩阵',
      deadline: '2099-01-01',
      result: null,
      dispatched_by: null,
      done_by: null,
      done_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return task.id;
}
