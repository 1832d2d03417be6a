import { registerJob } from '../../kernel/jobs.js';
import type { ModuleDef } from '../../kernel/module.js';
import { runImport } from './importer.js';
import { runPatrol } from './patrol.js';
import routes from './routes.js';

registerJob('origin.import', (job) => runImport(job));
/** The frequency and quality patrol runs every 6 hours (and on demand: runOriginPatrol). */
registerJob('origin.patrol', (job) => runPatrol(job.db), { everyMs: 6 * 3600_000 });

/**
 * 重点农产品产地溯源数字地图 (seed 004): township collectors and village co-supervisors (`collector`) collect;
 * county supervisors (`supervisor`) review; information administrators set local thresholds.
 */
export const originmapModule: ModuleDef = {
  name: 'originmap',
  routes,
  verbs: {
    'origin.read': { zh: '查看产地溯源“一张图/一张表”', en: 'View the origin map and table', roles: ['collector', 'supervisor', 'info_admin', 'enforcer', 'inspector'] },
    // info_admin holds collect and review too: an account may grant only verbs it holds, and the information
    // administrator makes the collector and supervisor accounts (seed 004 五(三) 账号发放).
    'origin.collect': { zh: '采集、导入产地溯源信息', en: 'Collect and import origin records', roles: ['collector', 'info_admin'] },
    'origin.review': { zh: '审核产地溯源信息、处理巡查提示', en: 'Review origin records and resolve patrol flags', roles: ['supervisor', 'info_admin'] },
    'origin.export': { zh: '导出产地溯源信息表', en: 'Export the origin table', roles: ['collector', 'supervisor', 'info_admin'] },
    'origin.configure': { zh: '制定本地区采集标准', en: 'Set local thresholds', roles: ['info_admin'] },
  },
};
