import { sql } from 'kysely';
import { inScope, likePrefix } from '../../kernel/auth/scope.js';
import type { DemoStep } from '../../kernel/module.js';
import type { StoredClause } from './tables.js';

/** The subjects module's step, named here (agreements build on producers). */
const SUBJECTS_STEP = 'producers (subjects) and their review queue';
export const AGREEMENTS_STEP = 'county traceability agreements and signatures';

const COUNTIES = [
  { code: '440117', name: '从化区' },
  { code: '510131', name: '蒲江县' },
];

/**
 * A traceability agreement (追溯协议) per demo county, signed by its first 60 approved demo producers. Idempotent:
 * skipped for a county that already has an agreement.
 */
export const agreementsDemo: DemoStep = {
  name: AGREEMENTS_STEP,
  after: [SUBJECTS_STEP],
  async run({ database, system, log }) {
    const producers = await database.db
      .selectFrom('subject')
      .select(['id', 'contact_name', 'division_code'])
      .where('source_ref', 'like', likePrefix('DEMO-'))
      .where('status', '=', 'approved')
      .orderBy(sql`substring(source_ref from 6)::int`)
      .execute();
    if (!producers.length) return log('agreements demo: the demo producers are missing; skipped');
    let signed = 0;
    await system(async ({ db }) => {
      for (const county of COUNTIES) {
        if (
          await db
            .selectFrom('agreement_template')
            .select('id')
            .where('county_code', '=', county.code)
            .executeTakeFirst()
        )
          continue;
        const tpl = await db
          .insertInto('agreement_template')
          .values({
            county_code: county.code,
            version: 1,
            title: `${county.name}农产品质量安全追溯协议`,
            body: AGREEMENT_TEXT,
            clauses: JSON.stringify(AGREEMENT_CLAUSES),
            created_by: null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        const signers = producers.filter((s) => inScope(county.code, s.division_code)).slice(0, 60);
        if (signers.length)
          await db
            .insertInto('agreement_signature')
            .values(
              signers.map((s, i) => ({
                subject_id: s.id,
                template_id: tpl.id,
                county_code: county.code,
                version: 1,
                signed_by: null,
                signer_name: s.contact_name,
                ip: null,
                accepted_clauses: AGREEMENT_CLAUSES.map((c) => c.key),
                // The county countersigned the first two thirds; the rest wait for its signature.
                ...(i < 40
                  ? {
                      county_signed_at: new Date(),
                      county_signer_name: `${county.name}农业农村局`,
                      county_org_name: `${county.name}农产品质量安全监管站`,
                    }
                  : {}),
              })),
            )
            .execute();
        signed += signers.length;
      }
    });
    log(`agreements demo: ${signed} signatures`);
  },
};

/** The clauses seed 001 art. 10 requires (信息采集、信息传递、扫码交易、信息真实性承诺). */
const AGREEMENT_CLAUSES: StoredClause[] = [
  {
    key: 'info_collection',
    text: '乙方按照国家追溯平台信息采集规范，如实填报产品名称、来源、数量等基本追溯信息，并在作业完成后 3 日内上传。',
  },
  {
    key: 'info_transfer',
    text: '乙方销售农产品时向下游传递追溯信息，附带追溯标识、承诺达标合格证或追溯凭证，确保来源可追溯、流向可追踪。',
  },
  {
    key: 'scan_trading',
    text: '乙方交易时采取扫码方式确认收货和销售，进入批发市场、零售市场或加工企业时提供入市追溯凭证。',
  },
  {
    key: 'truthfulness',
    text: '乙方承诺所填报的信息真实、准确、完整；提供虚假信息、冒用追溯标识的，甲方依法依规处理并记入诚信档案。',
  },
];

const AGREEMENT_TEXT = `甲方：县农产品质量安全监管机构
乙方：生产经营主体

一、乙方在国家农产品质量安全追溯管理信息平台如实注册，信息发生变化时及时申请变更。
二、乙方如实记录生产、收购、储存、运输、加工等环节的追溯信息，并在作业完成后 3 日内上传。
三、乙方上市销售的农产品附带追溯标识或承诺达标合格证，确保来源可追溯、流向可追踪。
四、甲方对乙方开展培训、指导和监督检查；乙方配合巡查、抽样检测。
五、乙方提供虚假信息、冒用追溯标识的，甲方依法依规处理，并记入诚信档案。`;
