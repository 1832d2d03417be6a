import { importFileOwner, runImportJob } from '../../kernel/imports.js';
import type { ModuleDef } from '../../kernel/module.js';
import { registryImport } from './import.js';
import routes from './routes.js';

export const certificationModule: ModuleDef = {
  name: 'certification',
  routes,
  jobs: { [registryImport.kind]: { run: (job) => runImportJob(registryImport, job) } },
  fileOwners: { [registryImport.ownerType]: importFileOwner(registryImport.verb) },
  verbs: {
    'certification.read': {
      zh: '查看认证追溯覆盖率',
      en: 'View certification coverage',
      roles: ['info_admin', 'supervisor'],
    },
    'certification.manage': {
      zh: '导入认证名录',
      en: 'Import the certification registry',
      roles: ['info_admin', 'supervisor'],
    },
  },
};
