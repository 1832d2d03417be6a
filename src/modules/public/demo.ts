import { hashPassword } from '../../kernel/auth/crypto.js';
import { KIND_DIGIT } from '../../kernel/codes.js';
import type { DemoStep } from '../../demo.js';
import { appendEvent } from '../batches/events.js';
import { DEMO_PASSWORD } from '../accounts/demo.js';
import * as codesRepo from '../codes/repo.js';

/**
 * Public-trace demo: a grower in 温泉镇 (account `lvyuan`), a buyer in 从化区 (account `xianda`) who received part of
 * a cowpea batch (a lineage edge), and a second, recalled batch — so /t/{code} shows an active origin, a circulation
 * code whose page shows the grower only, and a recall warning. Codes: log in as `lvyuan` → 批次 (or GET /api/v1/batches).
 */
interface DemoProducer { username: string; name: string; division: string; cert: string; form: 'cooperative' | 'enterprise' }
const GROWER: DemoProducer = { username: 'lvyuan', name: '温泉镇绿源果蔬合作社', division: '440117103', cert: '93440117MA59DEMO01', form: 'cooperative' };
const BUYER: DemoProducer = { username: 'xianda', name: '从化区鲜达农产品购销部', division: '440117104', cert: '92440117MA59DEMO02', form: 'enterprise' };

export const publicDemo: DemoStep = {
  name: 'public trace: a grower, a buyer, a recalled batch',
  async run(database, config, log) {
    const db = database.db;
    if (await db.selectFrom('subject').select('id').where('dedup_key', '=', `C${GROWER.cert}`).executeTakeFirst()) return;
    const hash = await hashPassword(DEMO_PASSWORD);
    await db.transaction().execute(async (trx) => {
      const ctx = { db: trx, actor: null, ip: null, config };
      const producer = async (p: DemoProducer) => {
        const org = await trx.insertInto('organisation').values({ name: p.name, kind: 'producer', division_code: p.division, contact_name: '陈伯', contact_phone: '13800138000', address: null, created_by: null }).returning('id').executeTakeFirstOrThrow();
        const s = await trx.insertInto('subject').values({
          org_id: org.id, name: p.name, org_form: p.form, subject_type: 'both', industries: ['planting'], cert_type: 'credit_code', cert_no: p.cert, dedup_key: `C${p.cert}`,
          legal_person_name: '陈伯', legal_person_id_no: null, legal_person_phone: null, contact_name: '陈伯', contact_phone: '13800138000', contact_email: null, address: '从化区温泉镇',
          division_code: p.division, longitude: null, latitude: null, status: 'approved', identity_code: null, approved_at: new Date(), source_ref: 'demo', created_by: null, certifications: ['green'],
        }).returning('id').executeTakeFirstOrThrow();
        const acc = await trx.insertInto('account').values({ username: p.username, display_name: p.name, phone: null, org_id: org.id, roles: ['producer_admin'], password_hash: hash, must_change_password: false, created_by: null }).returning('id').executeTakeFirstOrThrow();
        return { id: s.id, orgId: org.id, accountId: acc.id };
      };
      const growerP = await producer(GROWER);
      const grower = growerP.id;
      const buyer = (await producer(BUYER)).id;
      const product = await trx.insertInto('product').values({ subject_id: grower, division_code: GROWER.division, name: '豇豆', industry: 'planting', classification: null, key_product: '豇豆', unit: 'kg', certifications: JSON.stringify([{ type: 'green', number: 'LB-15-2301010101A', validFrom: '2025-01-01', validTo: '2028-01-01' }]), created_by: null }).returning('id').executeTakeFirstOrThrow();
      const base = await trx.insertInto('base').values({ subject_id: grower, division_code: GROWER.division, name: '温泉一号基地', address: null, area: 35.5, longitude: 113.6, latitude: 23.6, method: 'open_field', photos: '[]', created_by: null }).returning('id').executeTakeFirstOrThrow();
      const bought = await trx.insertInto('product').values({ subject_id: buyer, division_code: BUYER.division, name: '豇豆（收购）', industry: 'planting', classification: null, key_product: null, unit: 'kg', certifications: '[]', created_by: null }).returning('id').executeTakeFirstOrThrow();
      const batch = async (subjectId: string, division: string, productId: string, baseId: string | null, no: string, kind: 'production' | 'circulation', qty: number) => {
        const serial = await codesRepo.allocate(trx, KIND_DIGIT[kind], 1);
        const b = await trx.insertInto('batch').values({
          subject_id: subjectId, division_code: division, kind, batch_no: no, product_id: productId, base_id: baseId, quantity: 0, unit: 'kg',
          produced_at: new Date('2026-11-20T00:00:00Z'), self_check: kind === 'production' ? 'pass' : 'untested', self_check_note: null, code_serial: serial, stock: 0, created_by: null,
        }).returning('id').executeTakeFirstOrThrow();
        await codesRepo.insertRange(trx, { kind: KIND_DIGIT[kind], first: serial, n: 1, status: 'A', subjectId, batchId: b.id, reservationId: null });
        await appendEvent(ctx, { eventType: 'object', action: 'ADD', bizStep: 'commissioning', stage: kind === 'production' ? 'production' : 'purchase', eventTime: new Date('2026-11-20T00:00:00Z'), subjectId, divisionCode: division, batchId: b.id, qtyDelta: qty, quantityDelta: qty, unit: 'kg' });
        return b.id;
      };
      const a = await batch(grower, GROWER.division, product.id, base.id, '20261120-001', 'production', 500);
      await appendEvent(ctx, { eventType: 'object', action: 'OBSERVE', bizStep: 'inspecting', stage: 'production', eventTime: new Date('2026-11-20T02:00:00Z'), subjectId: grower, divisionCode: GROWER.division, batchId: a, payload: { item: '农药残留速测（有机磷和氨基甲酸酯类）', result: '合格', agency: '温泉镇农产品质量安全检测室', public: true } });
      const b = await batch(buyer, BUYER.division, bought.id, null, 'SG-20261121-01', 'circulation', 0);
      await appendEvent(ctx, { eventType: 'transaction', action: 'ADD', bizStep: 'receiving', stage: 'purchase', eventTime: new Date('2026-11-21T00:00:00Z'), subjectId: buyer, divisionCode: BUYER.division, batchId: b, qtyDelta: 200, quantityDelta: 200, unit: 'kg', sourceSubjectId: grower, destSubjectId: buyer, edges: [{ from: a, to: b, quantity: 200, unit: 'kg' }] });
      await appendEvent(ctx, { eventType: 'transaction', action: 'DELETE', bizStep: 'shipping', stage: 'production', eventTime: new Date('2026-11-21T00:00:00Z'), subjectId: grower, divisionCode: GROWER.division, batchId: a, qtyDelta: -200, unit: 'kg', sourceSubjectId: grower, destSubjectId: buyer });
      const r = await batch(grower, GROWER.division, product.id, base.id, '20261118-001', 'production', 300);
      // A recall as issue 5 records it (recall + covered batches + the recalling event).
      const reason = '抽检发现腐霉利超标';
      const recall = await trx.insertInto('recall').values({ number: 'ZH202611210001', batch_id: r, subject_id: grower, division_code: GROWER.division, opener_kind: 'producer', opener_org_id: growerP.orgId, level: 2, reason, opened_by: growerP.accountId, closed_at: null, closed_by: null, close_note: null }).returning('id').executeTakeFirstOrThrow();
      await trx.insertInto('recall_batch').values({ recall_id: recall.id, batch_id: r, depth: 0 }).execute();
      await appendEvent(ctx, { eventType: 'object', action: 'OBSERVE', bizStep: 'recalling', stage: 'production', disposition: 'recalled', eventTime: new Date('2026-11-21T08:00:00Z'), subjectId: grower, divisionCode: GROWER.division, batchId: r, bizTx: [{ type: 'recall', id: 'ZH202611210001' }], payload: { reason } });
      await trx.insertInto('audit_log').values({ verb: 'demo.seed', target_type: 'batch', target_id: a, division_code: GROWER.division, summary: JSON.stringify({ step: 'public' }), actor_id: null, actor_name: 'system', org_id: null, on_behalf_of: null, ip: null }).execute();
    });
    log(`demo producers: ${GROWER.username}, ${BUYER.username} (password ${DEMO_PASSWORD}); batches 20261120-001 (sold in part to ${BUYER.name}), 20261118-001 (recalled)`);
  },
};
