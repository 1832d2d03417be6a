import { importFileOwner, runImportJob } from '../../kernel/imports.js';
import type { ModuleDef } from '../../kernel/module.js';
import { providePointRule } from '../../kernel/point-rule.js';
import { originImport } from './import.js';
import { runPatrol } from './patrol.js';
import { originmapDemo } from './demo.js';
import routes from './routes.js';
import { ORIGIN_RESOURCE, originReviewOwner } from './service/records.js';
import { pointError } from './validate.js';

// The coordinate rule of this module's form and import, for producers' registration too (kernel/point-rule.ts).
providePointRule(pointError);

/**
 * 重点农产品产地溯源数字地图 (seed 004): township collectors and village co-supervisors (`collector`) collect;
 * county supervisors (`supervisor`) review; information administrators set local thresholds.
 */
export const originmapModule: ModuleDef = {
  name: 'originmap',
  routes,
  demo: [originmapDemo],
  fileOwners: { [originImport.ownerType]: importFileOwner(originImport.verb) },
  /** Origin records are decided on the one review queue too (kernel/review.ts). */
  reviewOwners: { [ORIGIN_RESOURCE]: originReviewOwner },
  jobs: {
    [originImport.kind]: { run: (job) => runImportJob(originImport, job) },
    /** The frequency and quality patrol runs every 6 hours (and on demand: runOriginPatrol). */
    'origin.patrol': { run: (job) => runPatrol(job.db, job.progress), everyMs: 6 * 3600_000 },
  },
  verbs: {
    'origin.read': {
      zh: '查看产地溯源“一张图/一张表”',
      en: 'View the origin map and table',
      roles: ['collector', 'supervisor', 'info_admin', 'enforcer', 'inspector'],
    },
    // info_admin holds collect and review too: an account may grant only verbs it holds, and the information
    // administrator makes the collector and supervisor accounts (seed 004 五(三) 账号发放).
    'origin.collect': {
      zh: '采集、导入产地溯源信息',
      en: 'Collect and import origin records',
      roles: ['collector', 'info_admin', 'producer_admin', 'service_staff'],
    },
    'origin.authorise': {
      zh: '授权第三方机构采集产地溯源信息（县级，须签保密协议）',
      en: 'Authorise third-party origin collectors (county, with a confidentiality agreement)',
      roles: ['supervisor', 'info_admin'],
    },
    'origin.review': {
      zh: '审核产地溯源信息、处理巡查提示',
      en: 'Review origin records and resolve patrol flags',
      roles: ['supervisor', 'info_admin'],
    },
    'origin.export': {
      zh: '导出产地溯源信息表',
      en: 'Export the origin table',
      roles: ['collector', 'supervisor', 'info_admin'],
    },
    'origin.configure': { zh: '制定本地区采集标准', en: 'Set local thresholds', roles: ['info_admin'] },
  },
};
