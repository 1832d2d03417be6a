import { inScope, isAtOrBelow, likePrefix } from '../../kernel/auth/scope.js';
import type { Ctx } from '../../kernel/context.js';
import { saveFile } from '../../kernel/files.js';
import type { DemoStep } from '../../kernel/module.js';
import { codeText } from '../codes/service.js';
import { actOnCase, createEnforcementCase } from '../enforcement/service.js';
import { createMonitoringTask, submitSamplingSheet, submitTestResults } from '../monitoring/service.js';
import { createPlan, followUp, startPatrol, submitPatrol } from '../patrols/service.js';
import { drawRandomChecks } from '../randomchecks/service.js';

/** Steps of other modules this one builds on, named here: the demo producers, the chains (a traced lot to sample). */
const AFTER = [
  'demo producers with identity codes (if none exist)',
  'trade chains across counties and provinces, vouchers, gate checks, a recall',
];

/** A 1×1 PNG standing in for a photo and a drawn signature. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * Supervision demo in 从化区: patrol plans, patrols (pass, fail with photo and signature, rectify closed), a
 * double-random draw, a cowpea residue monitoring task with one failing sample (risk case, county notification,
 * credit record), and a decided penalty case. Idempotent: skipped when 从化区 already has patrols.
 */
export const supervisionDemo: DemoStep = {
  name: 'patrols, random draw, monitoring, risk case, penalty case, credit (从化区)',
  after: AFTER,
  async run({ database, config, log, as: run }) {
    const db = database.db;
    if (
      await db.selectFrom('patrol').select('id').where('division_code', 'like', likePrefix('440117')).executeTakeFirst()
    )
      return;
    const subjects = await db
      .selectFrom('subject')
      .select(['id', 'name', 'identity_code', 'division_code'])
      .where('status', '=', 'approved')
      .where('division_code', 'like', likePrefix('4401171'))
      .where('identity_code', 'is not', null)
      .orderBy('division_code')
      .orderBy('name')
      .limit(6)
      .execute();
    if (subjects.length < 2) {
      log('supervision demo: fewer than two approved producers with identity codes in 从化区 townships; skipped');
      return;
    }
    const year = Number(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 4));
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const later = (d: number) => new Date(Date.now() + 8 * 3600_000 + d * 86400_000).toISOString().slice(0, 10);
    const files = (ctx: Ctx, n: number) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          saveFile(ctx, { name: `demo-${i}.png`, data: PNG, rule: 'image' }).then((f) => f.id),
        ),
      );
    const town = subjects.filter((s) => inScope('440117103', s.division_code));
    const [a, b] = town.length >= 2 ? town : subjects;

    await run('wq_sup', (ctx) => createPlan(ctx, { year, period: 'year', target: 48 }));
    await run('wq_sup', (ctx) =>
      createPlan(ctx, { year, period: 'quarter', periodNo: Math.floor(new Date().getUTCMonth() / 3) + 1, target: 12 }),
    );
    await run('lk_sup', (ctx) => createPlan(ctx, { year, period: 'year', target: 36 }));
    // A passing patrol, a failing one (banned pesticide found), and a rectification that was followed up.
    await run('wq_sup', async (ctx) => {
      const p = await startPatrol(ctx, {
        identityCode: b.identity_code as string,
        target: 'base',
        longitude: 113.62,
        latitude: 23.64,
        accuracyM: 6,
      });
      const [sig] = await files(ctx, 1);
      await submitPatrol(ctx, p.id, {
        result: 'pass',
        checklist: p.templateItems.map((i) => ({ code: i.code, ok: true })),
        signatureFileId: sig,
        signerName: '李国栋',
      });
    });
    await run('wq_sup', async (ctx) => {
      const p = await startPatrol(ctx, {
        identityCode: a.identity_code as string,
        target: 'base',
        longitude: 113.61,
        latitude: 23.63,
        accuracyM: 9,
      });
      const [photo, sig] = await files(ctx, 2);
      await submitPatrol(ctx, p.id, {
        result: 'fail',
        findings: '农资仓库发现禁用农药甲拌磷 2 瓶，已现场封存',
        photoIds: [photo],
        signatureFileId: sig,
        signerName: '陈志强',
        checklist: p.templateItems.map((i) => ({
          code: i.code,
          ok: i.code !== 'banned',
          note: i.code === 'banned' ? '发现甲拌磷' : null,
        })),
      });
    });
    await run('wq_xg', async (ctx) => {
      const p = await startPatrol(ctx, { identityCode: a.identity_code as string, target: 'subject' });
      const [sig] = await files(ctx, 1);
      await submitPatrol(ctx, p.id, {
        result: 'rectify',
        findings: '上市豇豆未开具承诺达标合格证',
        signatureFileId: sig,
        signerName: '陈志强',
        rectifyDeadline: later(7),
        checklist: p.templateItems.map((i) => ({ code: i.code, ok: i.code !== 'certificate' })),
      });
      await followUp(ctx, p.id, { rectified: true, note: '复查：已补开合格证并建立台账' });
    });
    await run('ch_sup', (ctx) =>
      drawRandomChecks(ctx, {
        title: `${year}年从化区第四季度双随机抽查`,
        taskKind: 'patrol',
        seed: `conghua-${year}-q4`,
        subjectCount: Math.min(3, subjects.length),
        inspectorsPerSubject: 2,
      }),
    );

    const lab = await db
      .selectFrom('organisation')
      .select('id')
      .where('name', '=', '从化区农产品质量安全检测站')
      .executeTakeFirstOrThrow();
    const task = await run('ch_sup', (ctx) =>
      createMonitoringTask(ctx, {
        title: `${year}年豇豆农药残留专项监测`,
        kind: 'special',
        products: ['豇豆', '韭菜'],
        startDate: today,
        endDate: later(30),
        items: [
          { item: '毒死蜱', unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' },
          { item: '克百威', unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' },
          { item: '灭蝇胺', unit: 'mg/kg', limit: 0.5, standard: 'GB 2763-2021' },
        ],
        assignments: [{ testingOrgId: lab.id, divisionCode: '440117', quantity: 20, deadline: later(21) }],
      }),
    );
    const asg = task.assignments[0].id;
    const sample = (s: (typeof subjects)[number], product: string) =>
      run('ch_lab', (ctx) =>
        submitSamplingSheet(ctx, asg, {
          productName: product,
          identityCode: s.identity_code,
          place: `${s.name}基地`,
          divisionCode: s.division_code,
          sampledAt: new Date().toISOString(),
          quantity: '1 kg',
        }),
      );
    const results = (vals: [number, number, number]) => [
      { item: '毒死蜱', value: vals[0], unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' },
      { item: '克百威', value: vals[1], unit: 'mg/kg', limit: 0.02, standard: 'GB 2763-2021' },
      { item: '灭蝇胺', value: vals[2], unit: 'mg/kg', limit: 0.5, standard: 'GB 2763-2021' },
    ];
    for (const [i, s] of subjects.slice(1, 4).entries()) {
      const sh = await sample(s, i % 2 ? '韭菜' : '豇豆');
      await run('ch_lab', (ctx) => submitTestResults(ctx, sh.id, results([0.005, 0.001, 0.1])));
    }
    // The failing sample: a production batch with a trace code that was sold on (chain demo) when there is one, so
    // the risk case shows lineage both ways; otherwise producer `a` without a code (temporary code).
    const traced = await db
      .selectFrom('batch as b')
      .innerJoin('subject as s', 's.id', 'b.subject_id')
      .innerJoin('product as p', 'p.id', 'b.product_id')
      .select(['b.code_serial', 's.identity_code', 's.name', 's.division_code', 'p.name as product_name'])
      .where('b.kind', '=', 'production')
      .where('b.code_serial', 'is not', null)
      .where('s.division_code', 'like', likePrefix('440117'))
      .where('s.identity_code', 'is not', null)
      .orderBy(
        (eb) =>
          eb.exists(eb.selectFrom('trace_edge as e').select('e.from_batch').whereRef('e.from_batch', '=', 'b.id')),
        'desc',
      )
      .orderBy('b.created_at')
      .executeTakeFirst();
    const failing = traced
      ? await run('ch_lab', (ctx) =>
          submitSamplingSheet(ctx, asg, {
            productName: traced.product_name,
            traceCode: codeText(config, 'production', Number(traced.code_serial)),
            place: '从化区农产品批发市场',
            divisionCode: isAtOrBelow(traced.division_code, 'township') ? traced.division_code : '440117',
            sampledAt: new Date().toISOString(),
            quantity: '1 kg',
          }),
        )
      : await sample(a, '豇豆');
    const failingSubject = traced?.identity_code ?? a.identity_code;
    const res = await run('ch_lab', (ctx) => submitTestResults(ctx, failing.id, results([0.12, 0.001, 0.2])));
    await run('ch_lab', (ctx) =>
      submitSamplingSheet(ctx, asg, {
        productName: '韭菜',
        tempSubject: { name: '温泉墟流动摊贩 王某' },
        place: '温泉镇农贸市场',
        divisionCode: '440117103',
        sampledAt: new Date().toISOString(),
      }),
    );

    const c = await run('ch_law', (ctx) =>
      createEnforcementCase(ctx, {
        identityCode: failingSubject,
        productName: failing.productName,
        facts: '该社在巡查中被发现存放禁用农药甲拌磷，抽检豇豆毒死蜱超标',
        violationType: 'false_info',
        sourceType: 'risk_case',
        sourceId: res.riskCaseId,
      }),
    );
    await run('ch_law', (ctx) => actOnCase(ctx, c.id, { action: 'investigate' }));
    await run('ch_law', (ctx) =>
      actOnCase(ctx, c.id, { action: 'decide', decision: '责令限期改正，没收违法产品，罚款 5000 元', fineYuan: 5000 }),
    );
    // The risk case is left open so the county sees the one-click recall; a second one shows an opened recall.
    log(
      `supervision demo: 3 patrols, 1 draw, task ${task.code} with 5 samples (1 failed → risk case), case ${c.caseNo}`,
    );
  },
};
