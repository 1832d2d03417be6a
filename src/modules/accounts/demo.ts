import { hashPassword } from '../../kernel/auth/crypto.js';
import { auditOutsideRequest } from '../../kernel/audit.js';
import type { DemoStep } from '../../kernel/module.js';
import type { OrgKind } from '../../schema.js';
import * as regions from '../regions/service.js';
import * as repo from './repo.js';
import { insertAccount, insertOrganisation } from './service.js';

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
  {
    name: '广东省农产品质量安全中心',
    kind: 'supervision',
    division: '44',
    users: [
      ['gd_admin', '广东省信息管理员', ['info_admin']],
      ['gd_sup', '省级监管员 陈明', ['supervisor']],
    ],
  },
  {
    name: '广州市农业农村局质量安全监管科',
    kind: 'supervision',
    division: '4401',
    users: [
      ['gz_admin', '广州市信息管理员', ['info_admin']],
      ['gz_sup', '市级监管员 黄丽', ['supervisor']],
    ],
  },
  {
    name: '从化区农产品质量安全监管站',
    kind: 'supervision',
    division: '440117',
    users: [
      ['ch_admin', '从化区信息管理员 李伟', ['info_admin']],
      ['ch_sup', '从化区监管员 何强', ['supervisor']],
    ],
  },
  {
    name: '从化区农产品质量安全检测站',
    kind: 'testing',
    division: '440117',
    users: [['ch_lab', '检测员 梁静', ['inspector']]],
  },
  {
    name: '从化区农业综合行政执法大队',
    kind: 'enforcement',
    division: '440117',
    users: [['ch_law', '执法员 邓刚', ['enforcer']]],
  },
  {
    name: '温泉镇农业服务中心',
    kind: 'supervision',
    division: '440117103',
    users: [
      ['wq_sup', '温泉镇监管员 罗芳', ['supervisor', 'collector']],
      ['wq_xg', '村级协管员 钟叔', ['collector']],
    ],
  },
  {
    name: '良口镇农业服务中心',
    kind: 'supervision',
    division: '440117104',
    users: [['lk_sup', '良口镇监管员 谢军', ['supervisor', 'collector']]],
  },
  {
    name: '广州农信追溯服务有限公司',
    kind: 'service',
    division: '4401',
    users: [['gz_svc', '服务机构 采集员 周洁', ['service_staff']]],
  },
  {
    name: '四川省农产品质量安全中心',
    kind: 'supervision',
    division: '51',
    users: [
      ['sc_admin', '四川省信息管理员', ['info_admin']],
      ['sc_sup', '省级监管员 王勇', ['supervisor']],
    ],
  },
  {
    name: '成都市农业农村局质量安全监管处',
    kind: 'supervision',
    division: '5101',
    users: [['cd_admin', '成都市信息管理员', ['info_admin']]],
  },
  {
    name: '蒲江县农产品质量安全监管站',
    kind: 'supervision',
    division: '510131',
    users: [
      ['pj_admin', '蒲江县信息管理员 张敏', ['info_admin']],
      ['pj_sup', '蒲江县监管员 杨帆', ['supervisor']],
    ],
  },
  {
    name: '蒲江县农产品质量检测中心',
    kind: 'testing',
    division: '510131',
    users: [['pj_lab', '检测员 刘洋', ['inspector']]],
  },
  {
    name: '蒲江县农业综合行政执法大队',
    kind: 'enforcement',
    division: '510131',
    users: [['pj_law', '执法员 赵磊', ['enforcer']]],
  },
  {
    name: '鹤山街道农业服务中心',
    kind: 'supervision',
    division: '510131001',
    users: [
      ['hs_sup', '鹤山街道监管员 孙丽', ['supervisor', 'collector']],
      ['hs_xg', '村级协管员 吴伯', ['collector']],
    ],
  },
  {
    name: '寿安街道农业服务中心',
    kind: 'supervision',
    division: '510131002',
    users: [['sa_sup', '寿安街道监管员 郑涛', ['supervisor', 'collector']]],
  },
];

export const FOUNDATION_STEP = 'organisations and accounts in Guangdong and Sichuan';

/** The demo counties (从化区, 蒲江县): their townships and main products, shared by the producer and census demos. */
export const DEMO_TOWNS = {
  '440117': ['440117103', '440117104', '440117001', '440117107'],
  '510131': ['510131001', '510131002', '510131101', '510131104'],
} as const;
export const DEMO_PRODUCTS = {
  '440117': ['荔枝', '龙眼', '菜心', '砂糖橘', '走地鸡', '罗非鱼'],
  '510131': ['猕猴桃', '丑柑', '茶叶', '雀舌', '生猪', '鲈鱼'],
} as const;

export const foundationDemo: DemoStep = {
  name: FOUNDATION_STEP,
  async run({ system, log }) {
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await system(async (ctx) => {
      let created = 0;
      for (const o of DEMO_ORGS) {
        await regions.assertExists(ctx, o.division, 'division');
        let org = await ctx.db
          .selectFrom('organisation')
          .select('id')
          .where('division_code', '=', o.division)
          .where('name', '=', o.name)
          .executeTakeFirst();
        if (!org) {
          org = await insertOrganisation(
            ctx,
            {
              name: o.name,
              kind: o.kind,
              divisionCode: o.division,
              contactName: o.users[0][1].split(' ').pop() ?? null,
              contactPhone: '020-87654321',
            },
            null,
          );
          created++;
        }
        for (const [username, displayName, roles] of o.users) {
          if (await repo.usernameTaken(ctx.db, username)) continue;
          await insertAccount(
            ctx,
            {
              username,
              displayName,
              orgId: org.id,
              roles,
              password: DEMO_PASSWORD,
              passwordHash,
              mustChangePassword: false,
            },
            null,
          );
        }
      }
      await auditOutsideRequest(ctx.db, {
        verb: 'demo.seed',
        targetType: 'organisation',
        summary: { step: 'foundation', created },
        actor: { id: null, username: 'system', orgId: null },
      });
    });
    log(`demo accounts: ${DEMO_ORGS.flatMap((o) => o.users.map((u) => u[0])).join(', ')} (password ${DEMO_PASSWORD})`);
  },
};
