import { hashPassword } from '../../kernel/auth/crypto.js';
import { auditOutsideRequest } from '../../kernel/audit.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import type { DemoStep } from '../../kernel/module.js';
import { DEMO_PASSWORD } from '../accounts/demo.js';
import { appendEvent } from '../batches/events.js';
import { createBatch } from '../batches/service.js';
import { createBase, createProduct } from '../catalog/service.js';
import { ensureSubjectCode } from '../codes/service.js';
import { openRecall } from '../recall/service.js';
import { seedProducer } from '../subjects/demo.js';
import { confirmReceipt, createSale } from '../trade/service.js';

/** The recall module's chain step, named here (this step's recall comes after the chain's). */
const CHAIN_STEP = 'trade chains across counties and provinces, vouchers, gate checks, a recall';

/**
 * Public-trace demo: a grower in 温泉镇 (account `lvyuan`), a buyer in 从化区 (account `xianda`) who received part of
 * a cowpea batch (a lineage edge), and a second, recalled batch — so /t/{code} shows an active origin, a circulation
 * code whose page shows the grower only, and a recall warning. Codes: log in as `lvyuan` → 批次 (or GET /api/v1/batches).
 * Everything goes through the owning modules' services (subjects, catalog, batches, trade, recall).
 */
interface DemoProducer {
  username: string;
  name: string;
  division: string;
  cert: string;
  form: 'cooperative' | 'enterprise';
}
const GROWER: DemoProducer = {
  username: 'lvyuan',
  name: '温泉镇绿源果蔬合作社',
  division: '440117103',
  cert: '93440117MA59DEMO01',
  form: 'cooperative',
};
const BUYER: DemoProducer = {
  username: 'xianda',
  name: '从化区鲜达农产品购销部',
  division: '440117104',
  cert: '92440117MA59DEMO02',
  form: 'enterprise',
};

export const publicDemo: DemoStep = {
  name: 'public trace: a grower, a buyer, a recalled batch',
  after: [CHAIN_STEP],
  async run({ database, config, log, system, actor }) {
    const db = database.db;
    if (await db.selectFrom('subject').select('id').where('dedup_key', '=', `C${GROWER.cert}`).executeTakeFirst())
      return;
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await system(async (sys) => {
      const trx = sys.db;
      const producer = async (p: DemoProducer): Promise<{ id: string; ctx: Ctx }> => {
        const made = await seedProducer(sys, {
          org: { contactName: '陈伯', contactPhone: '13800138000', address: null },
          subject: {
            name: p.name,
            org_form: p.form,
            subject_type: 'both',
            industries: ['planting'],
            cert_type: 'credit_code',
            cert_no: p.cert,
            dedup_key: `C${p.cert}`,
            legal_person_name: '陈伯',
            legal_person_id_no: null,
            legal_person_phone: null,
            contact_name: '陈伯',
            contact_phone: '13800138000',
            contact_email: null,
            address: '从化区温泉镇',
            division_code: p.division,
            longitude: null,
            latitude: null,
            source_ref: 'demo',
            certifications: ['green'],
          },
          accounts: [{ username: p.username, displayName: p.name, roles: ['producer_admin'] }],
          passwordHash,
        });
        const a: Actor = await actor(p.username, trx);
        return { id: made.subjectId, ctx: { db: trx, actor: a, ip: null, config } };
      };
      const grower = await producer(GROWER);
      const buyer = await producer(BUYER);
      const product = await createProduct(grower.ctx, {
        name: '豇豆',
        industry: 'planting',
        keyProduct: '豇豆',
        unit: 'kg',
        certifications: [
          { type: 'green', number: 'LB-15-2301010101A', validFrom: '2025-01-01', validTo: '2028-01-01' },
        ],
      });
      const base = await createBase(grower.ctx, {
        name: '温泉一号基地',
        divisionCode: GROWER.division,
        area: 35.5,
        longitude: 113.6,
        latitude: 23.6,
        method: 'open_field',
      });
      const lot = (batchNo: string, producedAt: string, quantity: number) =>
        createBatch(grower.ctx, {
          productId: product.id,
          baseId: base.id,
          batchNo,
          quantity,
          producedAt,
          selfCheck: 'pass',
        });
      const a = await lot('20261120-001', '2026-11-20T00:00:00Z', 500);
      await appendEvent(grower.ctx, {
        eventType: 'object',
        action: 'OBSERVE',
        bizStep: 'inspecting',
        stage: 'production',
        eventTime: new Date('2026-11-20T02:00:00Z'),
        subjectId: grower.id,
        divisionCode: GROWER.division,
        batchId: a.id,
        payload: {
          item: '农药残留速测（有机磷和氨基甲酸酯类）',
          result: '合格',
          agency: '温泉镇农产品质量安全检测室',
          public: true,
        },
      });
      // The buyer receives 200 kg: its own circulation batch and code, linked to the grower's lot.
      const sale = await createSale(grower.ctx, {
        batchId: a.id,
        quantity: 200,
        buyerKind: 'registered',
        buyerIdentityCode: await ensureSubjectCode(trx, config, buyer.id),
      });
      await confirmReceipt(buyer.ctx, { saleId: sale.id, decision: 'accept' });
      const r = await lot('20261118-001', '2026-11-18T00:00:00Z', 300);
      await openRecall(grower.ctx, { batchId: r.id, reason: '抽检发现腐霉利超标', level: 2 });
      await auditOutsideRequest(trx, {
        verb: 'demo.seed',
        targetType: 'batch',
        targetId: a.id,
        divisionCode: GROWER.division,
        summary: { step: 'public' },
        actor: { id: null, username: 'system', orgId: null },
      });
    });
    log(
      `demo producers: ${GROWER.username}, ${BUYER.username} (password ${DEMO_PASSWORD}); batches 20261120-001 (sold in part to ${BUYER.name}), 20261118-001 (recalled)`,
    );
  },
};
