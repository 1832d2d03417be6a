import { hashPassword } from '../../kernel/auth/crypto.js';
import type { DemoStep } from '../../demo.js';
import type { OrgKind } from '../../schema.js';

/** Password of every demo account (they need no password change). */
export const DEMO_PASSWORD = 'Demo12345';

interface DemoOrg {
  name: string;
  kind: OrgKind;
  division: string;
  users: [username: string, displayName: string, roles: string[]][];
}

/**
 * Two provinces down to township level: Guangdong (Guangzhou → Conghua → Wenquan/Liangkou towns) and Sichuan
 * (Chengdu → Pujiang → Heshan/Shouan subdistricts), each with supervision, testing and enforcement agencies, information
 * administrators, officers and village co-supervisors, plus a third-party service agency.
 */
export const DEMO_ORGS: DemoOrg[] = [
  { name: '广东省农产品质量安全中心', kind: 'supervision', division: '44', users: [['gd_admin', '广东省信息管理员', ['info_admin']], ['gd_sup', '省级监管员 陈明', ['supervisor']]] },
  { name: '广州市农业农村局质量安全监管科', kind: 'supervision', division: '4401', users: [['gz_admin', '广州市信息管理员', ['info_admin']], ['gz_sup', '市级监管员 黄丽', ['supervisor']]] },
  { name: '从化区农产品质量安全监管站', kind: 'supervision', division: '440117', users: [['ch_admin', '从化区信息管理员 李伟', ['info_admin']], ['ch_sup', '从化区监管员 何强', ['supervisor']]] },
  { name: '从化区农产品质量安全检测站', kind: 'testing', division: '440117', users: [['ch_lab', '检测员 梁静', ['inspector']]] },
  { name: '从化区农业综合行政执法大队', kind: 'enforcement', division: '440117', users: [['ch_law', '执法员 邓刚', ['enforcer']]] },
  { name: '温泉镇农业服务中心', kind: 'supervision', division: '440117103', users: [['wq_sup', '温泉镇监管员 罗芳', ['supervisor', 'collector']], ['wq_xg', '村级协管员 钟叔', ['collector']]] },
  { name: '良口镇农业服务中心', kind: 'supervision', division: '440117104', users: [['lk_sup', '良口镇监管员 谢军', ['supervisor', 'collector']]] },
  { name: '广州农信追溯服务有限公司', kind: 'service', division: '4401', users: [['gz_svc', '服务机构 采集员 周洁', ['service_staff']]] },
  { name: '四川省农产品质量安全中心', kind: 'supervision', division: '51', users: [['sc_admin', '四川省信息管理员', ['info_admin']], ['sc_sup', '省级监管员 王勇', ['supervisor']]] },
  { name: '成都市农业农村局质量安全监管处', kind: 'supervision', division: '5101', users: [['cd_admin', '成都市信息管理员', ['info_admin']]] },
  { name: '蒲江县农产品质量安全监管站', kind: 'supervision', division: '510131', users: [['pj_admin', '蒲江县信息管理员 张敏', ['info_admin']], ['pj_sup', '蒲江县监管员 杨帆', ['supervisor']]] },
  { name: '蒲江县农产品质量检测中心', kind: 'testing', division: '510131', users: [['pj_lab', '检测员 刘洋', ['inspector']]] },
  { name: '蒲江县农业综合行政执法大队', kind: 'enforcement', division: '510131', users: [['pj_law', '执法员 赵磊', ['enforcer']]] },
  { name: '鹤山街道农业服务中心', kind: 'supervision', division: '510131001', users: [['hs_sup', '鹤山街道监管员 孙丽', ['supervisor', 'collector']], ['hs_xg', '村级协管员 吴伯', ['collector']]] },
  { name: '寿安街道农业服务中心', kind: 'supervision', division: '510131002', users: [['sa_sup', '寿安街道监管员 郑涛', ['supervisor', 'collector']]] },
];

export const foundationDemo: DemoStep = {
  name: 'organisations and accounts in Guangdong and Sichuan',
  async run(database, _config, log) {
    const hash = await hashPassword(DEMO_PASSWORD);
    await database.db.transaction().execute(async (trx) => {
      let created = 0;
      for (const o of DEMO_ORGS) {
        const div = await trx.selectFrom('division').select('code').where('code', '=', o.division).executeTakeFirst();
        if (!div) throw new Error(`demo division ${o.division} missing`);
        let org = await trx.selectFrom('organisation').select('id').where('division_code', '=', o.division).where('name', '=', o.name).executeTakeFirst();
        if (!org) {
          org = await trx
            .insertInto('organisation')
            .values({ name: o.name, kind: o.kind, division_code: o.division, contact_name: o.users[0][1].split(' ').pop() ?? null, contact_phone: '020-87654321', address: null, created_by: null })
            .returning('id')
            .executeTakeFirstOrThrow();
          created++;
        }
        for (const [username, displayName, roles] of o.users) {
          const exists = await trx.selectFrom('account').select('id').where('username', '=', username).executeTakeFirst();
          if (exists) continue;
          await trx
            .insertInto('account')
            .values({ username, display_name: displayName, phone: null, org_id: org.id, roles, password_hash: hash, must_change_password: false, created_by: null })
            .execute();
        }
      }
      await trx.insertInto('audit_log').values({ verb: 'demo.seed', target_type: 'organisation', target_id: null, division_code: '', summary: JSON.stringify({ step: 'foundation', created }), actor_id: null, actor_name: 'system', org_id: null, on_behalf_of: null, ip: null }).execute();
    });
    log(`demo accounts: ${DEMO_ORGS.flatMap((o) => o.users.map((u) => u[0])).join(', ')} (password ${DEMO_PASSWORD})`);
  },
};
