import { importFileOwner, runImportJob } from '../../kernel/imports.js';
import type { ModuleDef } from '../../kernel/module.js';
import { resultsImport } from './import.js';
import routes from './routes.js';
import { mayReadSheetFile } from './service.js';

export const monitoringModule: ModuleDef = {
  name: 'monitoring',
  routes,
  jobs: { [resultsImport.kind]: { run: (job) => runImportJob(resultsImport, job) } },
  fileOwners: { sampling_sheet: mayReadSheetFile, [resultsImport.ownerType]: importFileOwner(resultsImport.verb) },
  verbs: {
    'monitoring.read': {
      zh: '查看监测任务、抽样单、风险处置',
      en: 'View monitoring tasks, sheets and risk cases',
      roles: ['info_admin', 'supervisor', 'inspector', 'enforcer'],
    },
    'monitoring.manage': { zh: '下达监测任务', en: 'Issue monitoring tasks', roles: ['info_admin', 'supervisor'] },
    'monitoring.sample': {
      zh: '抽样（提交抽样单）',
      en: 'Take samples (sampling sheets)',
      roles: ['info_admin', 'inspector'],
    },
    'monitoring.test': { zh: '录入检测结果', en: 'Enter test results', roles: ['info_admin', 'inspector'] },
    'risk.recall': {
      zh: '风险处置：启动召回、结案',
      en: 'Risk cases: open recalls, close',
      roles: ['info_admin', 'supervisor'],
    },
  },
};
