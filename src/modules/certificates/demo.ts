import { sql } from 'kysely';
import { isAtOrBelow } from '../../kernel/auth/scope.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import type { DemoStep } from '../../kernel/module.js';
import { createBatch } from '../batches/service.js';
import { type KEY_PRODUCTS, createBase, createProduct } from '../catalog/service.js';
import { ensureSubjectCode, issueTraceCodes, reserveCodes } from '../codes/service.js';
import { recordInputUse } from '../inputs/service.js';
import * as regions from '../regions/service.js';
import { issueCertificate } from './service.js';

/** The subjects module's last producer step, named here. */
const DEMO_PRODUCERS_STEP = 'demo producers with identity codes (if none exist)';
export const TRACE_STEP = 'products, bases, batches, codes and certificates of demo producers';

/** Audit/created_by id of records seeded for demo subjects that have no account. */
const SEED_ACTOR = '00000000-0000-4000-8000-00000000de30';

const PRODUCTS: Record<
  string,
  {
    name: string;
    industry: 'planting' | 'livestock' | 'fishery';
    unit: string;
    key?: (typeof KEY_PRODUCTS)[number];
    cert?: 'green' | 'organic' | 'gi';
  }[]
> = {
  planting: [
    { name: '豇豆', industry: 'planting', unit: 'kg', key: '豇豆', cert: 'green' },
    { name: '韭菜', industry: 'planting', unit: 'kg', key: '韭菜' },
    { name: '荔枝', industry: 'planting', unit: 'kg', cert: 'gi' },
  ],
  livestock: [
    { name: '生猪', industry: 'livestock', unit: '头', key: '生猪' },
    { name: '鸡蛋', industry: 'livestock', unit: '枚', key: '鸡蛋', cert: 'organic' },
  ],
  fishery: [{ name: '大口黑鲈', industry: 'fishery', unit: 'kg', key: '大口黑鲈' }],
};

/**
 * Products, bases, batches (with codes), production-process records, a third-party reservation and certificates for
 * the approved demo producers (issue 3's demo subjects). Goes through the services, so stock comes from events.
 * Idempotent: does nothing once any product exists. It lives in the certificates module, the one module above every
 * module it drives (batches, catalog, codes, inputs).
 */
export const traceDemo: DemoStep = {
  name: TRACE_STEP,
  after: [DEMO_PRODUCERS_STEP],
  async run({ database, config, log }) {
    const db = database.db;
    if (await db.selectFrom('product').select('id').limit(1).executeTakeFirst()) {
      log('trace demo: products already there, nothing to do');
      return;
    }
    // Approved subjects without products yet, those with a producer_admin account (e.g. demo_farmer) first. Most
    // imported demo subjects have no account: their records are written as the seeding system user.
    const subjects = await db
      .selectFrom('subject as s')
      .innerJoin('organisation as o', 'o.id', 's.org_id')
      .leftJoin('account as a', (j) =>
        j.onRef('a.org_id', '=', 's.org_id').on(sql<boolean>`'producer_admin' = ANY(a.roles)`),
      )
      .select([
        's.id',
        's.name',
        's.division_code',
        's.industries',
        's.org_id',
        'o.name as org_name',
        'a.id as account_id',
        'a.username',
      ])
      .where('s.status', '=', 'approved')
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('product as p').select('p.id').whereRef('p.subject_id', '=', 's.id'))),
      )
      .orderBy(sql`a.id IS NULL`)
      .orderBy('s.created_at')
      .limit(12)
      .execute();
    const admins = subjects;
    if (!admins.length) {
      log('trace demo: no approved demo producer without products (issue 3 demo subjects missing or already seeded)');
      return;
    }
    let batches = 0;
    let certs = 0;
    for (const [i, s] of admins.entries()) {
      const township = isAtOrBelow(s.division_code, 'township')
        ? s.division_code
        : (await regions.children({ db, actor: null, ip: null, config }, s.division_code))[0]?.code;
      if (!township) continue;
      const actor: Actor = {
        id: s.account_id ?? SEED_ACTOR,
        username: s.username ?? 'demo-seed',
        displayName: s.name,
        orgId: s.org_id,
        orgName: s.org_name,
        orgKind: 'producer',
        scope: s.division_code,
        roles: ['producer_admin'],
        verbs: new Set(),
        mustChangePassword: false,
      };
      await db.transaction().execute(async (trx) => {
        const ctx: Ctx = { db: trx, actor, ip: null, config };
        const kinds = PRODUCTS[s.industries[0]] ?? PRODUCTS.planting;
        const base = await createBase(ctx, {
          name: `${s.name.slice(0, 6)}生产基地`,
          divisionCode: township,
          area: 20 + i * 5,
          areaUnit: 'mu',
          method: i % 2 ? 'facility' : 'open_field',
        });
        for (const [k, p] of kinds.entries()) {
          const product = await createProduct(ctx, {
            name: p.name,
            industry: p.industry,
            unit: p.unit,
            keyProduct: p.key ?? null,
            certifications: p.cert
              ? [
                  {
                    type: p.cert,
                    number: `${p.cert.toUpperCase()}-2025-${String(1000 + i * 10 + k)}`,
                    validFrom: '2025-01-01',
                    validTo: '2028-12-31',
                  },
                ]
              : [],
          });
          if (p.industry === 'planting')
            await recordInputUse(ctx, {
              baseId: base.id,
              kind: 'fertiliser',
              name: '腐熟有机肥',
              dose: 200,
              doseUnit: 'kg/亩',
              usedOn: '2026-10-01',
            });
          for (let d = 0; d < 3; d++) {
            const when = new Date(Date.UTC(2026, 10, 10 + d * 4 + k, 0, 30));
            const batch = await createBatch(ctx, {
              productId: product.id,
              baseId: base.id,
              quantity: p.unit === '头' ? 20 + d * 5 : 300 + d * 120,
              producedAt: when.toISOString(),
              selfCheck: d === 2 ? 'untested' : 'pass',
            });
            batches++;
            await issueTraceCodes(ctx, { batchId: batch.id, count: 10 });
            if (d < 2) {
              await issueCertificate(ctx, {
                batchId: batch.id,
                quantity: Math.min(batch.quantity, 100),
                basis: d === 0 ? ['self_test', 'control'] : ['control'],
              });
              certs++;
            }
          }
        }
        if (i === 0) await reserveCodes(ctx, { count: 2000, printer: '演示印务有限公司' });
        await ensureSubjectCode(trx, config, s.id);
      });
    }
    log(`trace demo: ${admins.length} producers, ${batches} batches, ${certs} certificates`);
  },
};
