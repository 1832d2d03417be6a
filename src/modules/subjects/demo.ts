import { randomUUID } from 'node:crypto';
import { hashPassword } from '../../kernel/auth/crypto.js';
import { addWorkingDays, chinaDate } from '../../kernel/calendar.js';
import { makeCreditCode, makeIdNumber } from '../../kernel/idcodes.js';
import type { DemoStep } from '../../demo.js';
import type { SubjectOrgForm, SubjectStatus } from '../../schema.js';
import { DEMO_PASSWORD } from '../accounts/demo.js';
import { identityCode, identitySecret } from './identity.js';
import { dedupKeyOf } from './service.js';

/**
 * 300 producers in the demo counties (从化区 440117, 蒲江县 510131) in every state, with review applications (some
 * overdue), a census directory, county agreements and signatures. Accounts: `demo_farmer` (approved cooperative,
 * producer_admin), `demo_applicant` (pending), `demo_rejected` (rejected, to correct) — password Demo12345.
 */
const TOWNS = { '440117': ['440117103', '440117104', '440117001', '440117107'], '510131': ['510131001', '510131002', '510131101', '510131104'] } as const;
const STATES: [SubjectStatus, number][] = [['approved', 210], ['pending', 40], ['rejected', 14], ['change_pending', 10], ['cancel_pending', 6], ['revoke_pending', 6], ['revoked', 7], ['cancelled', 7]];
const PRODUCTS = { '440117': ['荔枝', '龙眼', '菜心', '砂糖橘', '走地鸡', '罗非鱼'], '510131': ['猕猴桃', '丑柑', '茶叶', '雀舌', '生猪', '鲈鱼'] } as const;
const SURNAMES = '李王张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高';
const ALNUM = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export const subjectsDemo: DemoStep = {
  name: 'producers (subjects), review queue, directory, agreements',
  async run(database, _config, log) {
    const db = database.db;
    if (await db.selectFrom('subject').select('id').where('source_ref', '=', 'DEMO-0').executeTakeFirst()) return;
    const hash = await hashPassword(DEMO_PASSWORD);
    await db.transaction().execute(async (trx) => {
      const secret = await identitySecret(trx);
      const orgs: Record<string, unknown>[] = [];
      const subjects: Record<string, unknown>[] = [];
      const apps: Record<string, unknown>[] = [];
      const accounts: Record<string, unknown>[] = [];
      const directory: Record<string, unknown>[] = [];
      let i = 0;
      const today = chinaDate();
      for (const [status, n] of STATES) {
        for (let k = 0; k < n; k++, i++) {
          const county = i % 2 === 0 ? '440117' : '510131';
          const town = TOWNS[county][i % 4];
          const products = PRODUCTS[county];
          const product = products[i % products.length];
          const form: SubjectOrgForm = (['cooperative', 'family_farm', 'individual', 'enterprise', 'individual'] as const)[i % 5];
          const person = `${SURNAMES[i % SURNAMES.length]}${'建国秀英志强桂兰海燕明华'[i % 10]}${'平安红军'[i % 4]}`;
          const name = form === 'individual' ? `${person}（${product}种养户）` : form === 'family_farm' ? `${county === '440117' ? '从化' : '蒲江'}${person}${product}家庭农场` : form === 'cooperative' ? `${county === '440117' ? '从化区' : '蒲江县'}${product}专业合作社第${i}社` : `${county === '440117' ? '广州' : '成都'}${product}农业发展有限公司${i}`;
          let body = '';
          for (let m = i, z = 0; z < 5; z++, m = Math.floor(m / 31)) body = ALNUM[m % 31] + body;
          const idNo = makeIdNumber(county, `19${60 + (i % 35)}0${1 + (i % 9)}1${i % 9}`, String(100 + i).slice(-3));
          const credit = makeCreditCode(`${form === "enterprise" ? "91" : "93"}${county}MA5D${body}`);
          const certType = form === 'individual' ? 'id_card' : 'credit_code';
          const certNo = certType === 'id_card' ? idNo : credit;
          const industry = ['荔枝', '龙眼', '菜心', '砂糖橘', '猕猴桃', '丑柑', '茶叶', '雀舌'].includes(product) ? 'planting' : ['走地鸡', '生猪'].includes(product) ? 'livestock' : 'fishery';
          const orgId = randomUUID();
          const subjectId = randomUUID();
          const submitted = new Date(Date.now() - ((i * 37) % 20) * 86_400_000 - 3600_000);
          const everApproved = !['pending', 'rejected'].includes(status);
          const code = everApproved ? identityCode({ orgForm: form, certType, certNo, personalIdNo: form === 'cooperative' || form === 'enterprise' ? null : idNo, countyCode: county, secret }) : null;
          const phone = `13${county === '440117' ? '8' : '9'}${String(10000000 + i * 7919).slice(-8)}`;
          orgs.push({ id: orgId, name, kind: 'producer', division_code: town, contact_name: person, contact_phone: phone, address: null, created_by: null });
          subjects.push({
            id: subjectId, org_id: orgId, name, org_form: form, subject_type: i % 7 === 0 ? 'both' : 'production', is_slaughterhouse: product === '生猪' && i % 3 === 0,
            industries: [industry], cert_type: certType, cert_no: certNo, dedup_key: dedupKeyOf(form, certType, certNo, form === 'family_farm' ? idNo : null),
            legal_person_name: person, legal_person_id_no: form === 'cooperative' || form === 'enterprise' ? null : idNo, legal_person_phone: phone, contact_name: person, contact_phone: phone,
            contact_email: null, address: `${town === '440117103' ? '温泉镇' : ''}${product}基地 ${i} 号`, division_code: town,
            longitude: (county === '440117' ? 113.55 : 103.5) + ((i * 13) % 100) / 500, latitude: (county === '440117' ? 23.55 : 30.2) + ((i * 29) % 100) / 500,
            certifications: i % 9 === 0 ? ['green'] : i % 13 === 0 ? ['gi'] : [], status, identity_code: code, approved_at: everApproved ? submitted : null,
            source: i % 6 === 0 ? 'import' : 'self', source_ref: `DEMO-${i}`, created_by: null,
          });
          const reg = everApproved ? 'approved' : status === 'rejected' ? 'rejected' : 'pending';
          apps.push({
            subject_id: subjectId, kind: 'register', status: reg, data: JSON.stringify({ name, demo: true }), reason: null, division_code: town, submitted_at: submitted, submitted_by: null,
            due_date: addWorkingDays(chinaDate(submitted), 5), decided_at: reg === 'pending' ? null : submitted, decided_by: null, decided_by_name: reg === 'pending' ? null : county === '440117' ? '从化区监管员 何强' : '蒲江县监管员 杨帆',
            decision_note: null, reasons: JSON.stringify(reg === 'rejected' ? [{ field: 'files', reason: '营业执照照片不清晰，请重新拍照上传' }] : []),
          });
          const pendingKind = { change_pending: 'change', cancel_pending: 'cancel', revoke_pending: 'revoke' }[status as string];
          if (pendingKind) {
            const at = new Date(Date.now() - (i % 9) * 86_400_000);
            apps.push({
              subject_id: subjectId, kind: pendingKind, status: 'pending', data: JSON.stringify(pendingKind === 'change' ? { contactPhone: '13711112222', before: { contactPhone: phone } } : {}),
              reason: pendingKind === 'change' ? '更换联系电话' : pendingKind === 'cancel' ? '停止经营' : '巡查发现提供虚假信息', division_code: town, submitted_at: at, submitted_by: null,
              due_date: addWorkingDays(chinaDate(at), 5), decided_at: null, decided_by: null, decided_by_name: null, decision_note: null, reasons: '[]',
            });
          }
          if (i < 3) {
            const username = ['demo_farmer', 'demo_applicant', 'demo_rejected'][i];
            accounts.push({ username, display_name: person, phone, org_id: orgId, roles: [everApproved ? 'producer_admin' : 'producer_applicant'], password_hash: hash, must_change_password: false, created_by: null, user_code: code ? `${code}-00` : null });
          }
          if (i % 4 === 0) directory.push({ division_code: town, name, org_form: form, industries: [industry], cert_no: certNo, address: null, longitude: null, latitude: null, contact_name: person, contact_phone: phone, products: product, scale: `${10 + (i % 50)} 亩`, note: null, subject_id: status === 'approved' ? subjectId : null, linked_at: status === 'approved' ? new Date() : null, created_by: null });
        }
      }
      // Census entries of producers that have not registered yet.
      for (let k = 0; k < 40; k++) {
        const county = k % 2 === 0 ? '440117' : '510131';
        directory.push({ division_code: TOWNS[county][k % 4], name: `${SURNAMES[(k * 3) % SURNAMES.length]}${'伯叔婶嫂'[k % 4]}${PRODUCTS[county][k % 6]}种养户`, org_form: k % 5 === 0 ? 'broker' : 'individual', industries: ['planting'], cert_no: null, address: `${k + 1} 组`, longitude: null, latitude: null, contact_name: null, contact_phone: `135${String(20000000 + k * 331).slice(-8)}`, products: PRODUCTS[county][k % 6], scale: `${3 + k} 亩`, note: '摸底发现，尚未注册', subject_id: null, linked_at: null, created_by: null });
      }
      // The first subjects (demo accounts) get readable states: 0 approved, 1 pending, 2 rejected.
      subjects[1].status = 'pending';
      subjects[1].identity_code = null;
      subjects[1].approved_at = null;
      apps[1].status = 'pending';
      subjects[2].status = 'rejected';
      subjects[2].identity_code = null;
      subjects[2].approved_at = null;
      accounts[1].roles = ['producer_applicant'];
      accounts[1].user_code = null;
      accounts[2].roles = ['producer_applicant'];
      accounts[2].user_code = null;
      await trx.insertInto('organisation').values(orgs as never).execute();
      await trx.insertInto('subject').values(subjects as never).execute();
      await trx.insertInto('subject_application').values(apps as never).execute();
      await trx.insertInto('account').values(accounts as never).execute();
      await trx.insertInto('directory_entry').values(directory as never).execute();
      for (const county of ['440117', '510131']) {
        const tpl = await trx
          .insertInto('agreement_template')
          .values({ county_code: county, version: 1, title: `${county === '440117' ? '从化区' : '蒲江县'}农产品质量安全追溯协议`, body: AGREEMENT_TEXT, created_by: null })
          .returning('id')
          .executeTakeFirstOrThrow();
        const signers = subjects.filter((s) => (s.division_code as string).startsWith(county) && s.status === 'approved').slice(0, 60);
        if (signers.length)
          await trx.insertInto('agreement_signature').values(signers.map((s) => ({ subject_id: s.id as string, template_id: tpl.id, county_code: county, version: 1, signed_by: null, signer_name: s.contact_name as string, ip: null }))).execute();
      }
      log(`demo producers: ${subjects.length} subjects, ${apps.length} applications, ${directory.length} directory entries (today ${today}); accounts demo_farmer, demo_applicant, demo_rejected`);
    });
  },
};

const AGREEMENT_TEXT = `甲方：县农产品质量安全监管机构
乙方：生产经营主体

一、乙方在国家农产品质量安全追溯管理信息平台如实注册，信息发生变化时及时申请变更。
二、乙方如实记录生产、收购、储存、运输、加工等环节的追溯信息，并在作业完成后 3 日内上传。
三、乙方上市销售的农产品附带追溯标识或承诺达标合格证，确保来源可追溯、流向可追踪。
四、甲方对乙方开展培训、指导和监督检查；乙方配合巡查、抽样检测。
五、乙方提供虚假信息、冒用追溯标识的，甲方依法依规处理，并记入诚信档案。`;
