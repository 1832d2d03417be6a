import { randomUUID } from 'node:crypto';
import type { Insertable } from 'kysely';
import { hashPassword } from '../../kernel/auth/crypto.js';
import { countyOf, likePrefix } from '../../kernel/auth/scope.js';
import { addWorkingDays, chinaDate } from '../../kernel/calendar.js';
import type { Actor, Ctx } from '../../kernel/context.js';
import { makeCreditCode, makeIdNumber } from '../../kernel/idcodes.js';
import type { DemoStep } from '../../kernel/module.js';
import type { SubjectOrgForm, SubjectStatus } from '../../schema.js';
import { DEMO_PASSWORD, DEMO_PRODUCTS, DEMO_TOWNS, FOUNDATION_STEP } from '../accounts/demo.js';
import { insertAccount, insertOrganisation } from '../accounts/service.js';
import { identityCode, identitySecret } from './identity.js';
import { dedupKeyOf } from './service.js';
import { applicationSubmitted } from './service/review-queue.js';
import type { SubjectTable } from './tables.js';

export const SUBJECTS_STEP = 'producers (subjects) and their review queue';
export const DEMO_PRODUCERS_STEP = 'demo producers with identity codes (if none exist)';

/**
 * An approved producer for demo data: its organisation and accounts (through the accounts service, one precomputed
 * password hash) and its subject row, with an identity code unless `identityCode: false`. Other modules' demo steps
 * use it to make the producers they need.
 */
export async function seedProducer(
  ctx: Ctx<Actor | null>,
  p: {
    org: { contactName: string | null; contactPhone: string | null; address: string | null };
    subject: Omit<Insertable<SubjectTable>, 'org_id' | 'status' | 'identity_code' | 'approved_at' | 'created_by'>;
    identityCode?: boolean;
    /** Accounts of the producer's organisation; `userCode` appends a suffix to the identity code (e.g. '-01'). */
    accounts: { username: string; displayName: string; roles: string[]; userCodeSuffix?: string }[];
    passwordHash: string;
  },
): Promise<{ orgId: string; subjectId: string; identityCode: string | null; accounts: Record<string, string> }> {
  const s = p.subject;
  const org = await insertOrganisation(
    ctx,
    { name: s.name, kind: 'producer', divisionCode: s.division_code, ...p.org },
    null,
  );
  const code =
    p.identityCode === false
      ? null
      : identityCode({
          orgForm: s.org_form,
          certType: s.cert_type,
          certNo: s.cert_no,
          personalIdNo: s.legal_person_id_no ?? null,
          countyCode: countyOf(s.division_code) ?? s.division_code,
          secret: await identitySecret(ctx),
        });
  const subject = await ctx.db
    .insertInto('subject')
    .values({
      ...s,
      org_id: org.id,
      status: 'approved',
      identity_code: code,
      approved_at: new Date(),
      created_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const accounts: Record<string, string> = {};
  for (const a of p.accounts) {
    const { id } = await insertAccount(
      ctx,
      {
        username: a.username,
        displayName: a.displayName,
        orgId: org.id,
        roles: a.roles,
        password: DEMO_PASSWORD,
        passwordHash: p.passwordHash,
        mustChangePassword: false,
        userCode: code && a.userCodeSuffix ? `${code}${a.userCodeSuffix}` : null,
      },
      null,
    );
    accounts[a.username] = id;
  }
  return { orgId: org.id, subjectId: subject.id, identityCode: code, accounts };
}

/**
 * 300 producers in the demo counties (从化区 440117, 蒲江县 510131) in every state, with review applications (some
 * overdue). Accounts: `demo_farmer` (approved cooperative, producer_admin), `demo_applicant` (pending),
 * `demo_rejected` (rejected, to correct) — password Demo12345. The census directory and the county agreements over
 * these producers are the directory and agreements modules' steps.
 */
const STATES: [SubjectStatus, number][] = [
  ['approved', 210],
  ['pending', 40],
  ['rejected', 14],
  ['change_pending', 10],
  ['cancel_pending', 6],
  ['revoke_pending', 6],
  ['revoked', 7],
  ['cancelled', 7],
];
const SURNAMES = '李王张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高';
const ALNUM = '0123456789ABCDEFGHJKLMNPQRTUWXY';

export const subjectsDemo: DemoStep = {
  name: SUBJECTS_STEP,
  after: [FOUNDATION_STEP],
  async run({ database, system, log }) {
    if (await database.db.selectFrom('subject').select('id').where('source_ref', '=', 'DEMO-0').executeTakeFirst())
      return;
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await system(async (ctx) => {
      const trx = ctx.db;
      const secret = await identitySecret(ctx);
      const orgs: Parameters<typeof insertOrganisation>[1][] = [];
      const subjects: Record<string, unknown>[] = [];
      const apps: Record<string, unknown>[] = [];
      const accounts: (Omit<Parameters<typeof insertAccount>[1], 'orgId'> & { org: number })[] = [];
      let i = 0;
      const today = chinaDate();
      for (const [status, n] of STATES) {
        for (let k = 0; k < n; k++, i++) {
          const county = i % 2 === 0 ? '440117' : '510131';
          const town = DEMO_TOWNS[county][i % 4];
          const products = DEMO_PRODUCTS[county];
          const product = products[i % products.length];
          const form: SubjectOrgForm = (
            ['cooperative', 'family_farm', 'individual', 'enterprise', 'individual'] as const
          )[i % 5];
          const person = `${SURNAMES[i % SURNAMES.length]}${'建国秀英志强桂兰海燕明华'[i % 10]}${'平安红军'[i % 4]}`;
          const name =
            form === 'individual'
              ? `${person}（${product}种养户）`
              : form === 'family_farm'
                ? `${county === '440117' ? '从化' : '蒲江'}${person}${product}家庭农场`
                : form === 'cooperative'
                  ? `${county === '440117' ? '从化区' : '蒲江县'}${product}专业合作社第${i}社`
                  : `${county === '440117' ? '广州' : '成都'}${product}农业发展有限公司${i}`;
          let body = '';
          for (let m = i, z = 0; z < 5; z++, m = Math.floor(m / 31)) body = ALNUM[m % 31] + body;
          const idNo = makeIdNumber(county, `19${60 + (i % 35)}0${1 + (i % 9)}1${i % 9}`, String(100 + i).slice(-3));
          const credit = makeCreditCode(`${form === 'enterprise' ? '91' : '93'}${county}MA5D${body}`);
          const certType = form === 'individual' ? 'id_card' : 'credit_code';
          const certNo = certType === 'id_card' ? idNo : credit;
          const industry = ['荔枝', '龙眼', '菜心', '砂糖橘', '猕猴桃', '丑柑', '茶叶', '雀舌'].includes(product)
            ? 'planting'
            : ['走地鸡', '生猪'].includes(product)
              ? 'livestock'
              : 'fishery';
          const subjectId = randomUUID();
          const submitted = new Date(Date.now() - ((i * 37) % 20) * 86_400_000 - 3600_000);
          const everApproved = !['pending', 'rejected'].includes(status);
          const code = everApproved
            ? identityCode({
                orgForm: form,
                certType,
                certNo,
                personalIdNo: form === 'cooperative' || form === 'enterprise' ? null : idNo,
                countyCode: county,
                secret,
              })
            : null;
          const phone = `13${county === '440117' ? '8' : '9'}${String(10000000 + i * 7919).slice(-8)}`;
          orgs.push({ name, kind: 'producer', divisionCode: town, contactName: person, contactPhone: phone });
          subjects.push({
            id: subjectId,
            name,
            org_form: form,
            subject_type: i % 7 === 0 ? 'both' : 'production',
            is_slaughterhouse: product === '生猪' && i % 3 === 0,
            industries: [industry],
            cert_type: certType,
            cert_no: certNo,
            dedup_key: dedupKeyOf(form, certType, certNo, form === 'family_farm' ? idNo : null),
            legal_person_name: person,
            legal_person_id_no: form === 'cooperative' || form === 'enterprise' ? null : idNo,
            legal_person_phone: phone,
            contact_name: person,
            contact_phone: phone,
            contact_email: null,
            address: `${town === '440117103' ? '温泉镇' : ''}${product}基地 ${i} 号`,
            division_code: town,
            longitude: (county === '440117' ? 113.55 : 103.5) + ((i * 13) % 100) / 500,
            latitude: (county === '440117' ? 23.55 : 30.2) + ((i * 29) % 100) / 500,
            certifications: i % 9 === 0 ? ['green'] : i % 13 === 0 ? ['gi'] : [],
            status,
            identity_code: code,
            approved_at: everApproved ? submitted : null,
            source: i % 6 === 0 ? 'import' : 'self',
            source_ref: `DEMO-${i}`,
            created_by: null,
          });
          const reg = everApproved ? 'approved' : status === 'rejected' ? 'rejected' : 'pending';
          apps.push({
            subject_id: subjectId,
            kind: 'register',
            status: reg,
            data: JSON.stringify({ name, demo: true }),
            reason: null,
            division_code: town,
            submitted_at: submitted,
            submitted_by: null,
            due_date: addWorkingDays(chinaDate(submitted), 5),
            decided_at: reg === 'pending' ? null : submitted,
            decided_by: null,
            decided_by_name: reg === 'pending' ? null : county === '440117' ? '从化区监管员 何强' : '蒲江县监管员 杨帆',
            decision_note: null,
            reasons: JSON.stringify(
              reg === 'rejected' ? [{ field: 'files', reason: '营业执照照片不清晰，请重新拍照上传' }] : [],
            ),
          });
          const pendingKind = { change_pending: 'change', cancel_pending: 'cancel', revoke_pending: 'revoke' }[
            status as string
          ];
          if (pendingKind) {
            const at = new Date(Date.now() - (i % 9) * 86_400_000);
            apps.push({
              subject_id: subjectId,
              kind: pendingKind,
              status: 'pending',
              data: JSON.stringify(
                pendingKind === 'change' ? { contactPhone: '13711112222', before: { contactPhone: phone } } : {},
              ),
              reason:
                pendingKind === 'change'
                  ? '更换联系电话'
                  : pendingKind === 'cancel'
                    ? '停止经营'
                    : '巡查发现提供虚假信息',
              division_code: town,
              submitted_at: at,
              submitted_by: null,
              due_date: addWorkingDays(chinaDate(at), 5),
              decided_at: null,
              decided_by: null,
              decided_by_name: null,
              decision_note: null,
              reasons: '[]',
            });
          }
          if (i < 3)
            accounts.push({
              org: i,
              username: ['demo_farmer', 'demo_applicant', 'demo_rejected'][i],
              displayName: person,
              phone,
              roles: [everApproved ? 'producer_admin' : 'producer_applicant'],
              password: DEMO_PASSWORD,
              passwordHash,
              mustChangePassword: false,
              userCode: code ? `${code}-00` : null,
            });
        }
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
      accounts[1].userCode = null;
      accounts[2].roles = ['producer_applicant'];
      accounts[2].userCode = null;
      // Organisations and accounts through the accounts service; subjects and applications are this module's rows.
      for (const [k, o] of orgs.entries()) subjects[k].org_id = (await insertOrganisation(ctx, o, null)).id;
      await trx
        .insertInto('subject')
        .values(subjects as never)
        .execute();
      const inserted = await trx
        .insertInto('subject_application')
        .values(apps as never)
        .returning(['id', 'subject_id', 'kind', 'status', 'due_date'])
        .execute();
      // Pending applications are on the one review queue too (kernel/review.ts).
      const byId = new Map(subjects.map((s) => [s.id as string, s]));
      for (const a of inserted) {
        const s = byId.get(a.subject_id);
        if (a.status === 'pending' && s)
          await applicationSubmitted(
            ctx,
            a,
            {
              id: s.id as string,
              name: s.name as string,
              org_id: s.org_id as string,
              division_code: s.division_code as string,
            },
            { orgId: s.org_id as string, collectorId: null },
          );
      }
      for (const { org, ...a } of accounts)
        await insertAccount(ctx, { ...a, orgId: subjects[org].org_id as string }, null);
      log(
        `demo producers: ${subjects.length} subjects, ${apps.length} applications (today ${today}); accounts demo_farmer, demo_applicant, demo_rejected`,
      );
    });
  },
};

/**
 * Demo producers in 从化区 (only when no approved producer exists there yet: the producers above, when present, take
 * precedence). Each gets an identity code and a producer_admin account `<username>` / Demo12345.
 */
export const DEMO_PRODUCERS = [
  {
    username: 'demo_coop1',
    name: '从化区温泉镇绿源蔬菜专业合作社',
    division: '440117103',
    cert: '93440117MA5D0001',
    industries: ['planting'] as const,
  },
  {
    username: 'demo_coop2',
    name: '从化区温泉镇鸿丰果蔬专业合作社',
    division: '440117103',
    cert: '93440117MA5D0002',
    industries: ['planting'] as const,
  },
  {
    username: 'demo_coop3',
    name: '从化区良口镇山泉养殖专业合作社',
    division: '440117104',
    cert: '93440117MA5D0003',
    industries: ['livestock'] as const,
  },
  {
    username: 'demo_coop4',
    name: '从化区良口镇流溪河水产专业合作社',
    division: '440117104',
    cert: '93440117MA5D0004',
    industries: ['fishery'] as const,
  },
];

export const demoProducersStep: DemoStep = {
  name: DEMO_PRODUCERS_STEP,
  after: [SUBJECTS_STEP],
  async run({ database, system, log }) {
    const have = await database.db
      .selectFrom('subject')
      .select('id')
      .where('status', '=', 'approved')
      .where('division_code', 'like', likePrefix('440117'))
      .where('identity_code', 'is not', null)
      .executeTakeFirst();
    if (have) return;
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await system(async (ctx) => {
      for (const p of DEMO_PRODUCERS) {
        const certNo = makeCreditCode(p.cert.padEnd(17, '0'));
        await seedProducer(ctx, {
          org: { contactName: '负责人', contactPhone: '13800138000', address: `${p.name}基地` },
          subject: {
            name: p.name,
            org_form: 'cooperative',
            subject_type: 'production',
            industries: [...p.industries],
            cert_type: 'credit_code',
            cert_no: certNo,
            dedup_key: `C${certNo}`,
            legal_person_name: '陈志强',
            legal_person_id_no: null,
            legal_person_phone: '13800138000',
            contact_name: '陈志强',
            contact_phone: '13800138000',
            contact_email: null,
            address: `${p.name}基地`,
            division_code: p.division,
            longitude: 113.6,
            latitude: 23.6,
            source_ref: null,
          },
          accounts: [{ username: p.username, displayName: p.name, roles: ['producer_admin'], userCodeSuffix: '-01' }],
          passwordHash,
        });
      }
    });
    log(`supervision demo: ${DEMO_PRODUCERS.length} producers in 从化区 (demo_coop1…4 / ${DEMO_PASSWORD})`);
  },
};
