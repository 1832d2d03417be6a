import type { ModuleDef } from '../../kernel/module.js';
import pages from './pages.js';
import routes from './routes.js';
import { mayReadComplaintFile } from './service.js';

export const complaintsModule: ModuleDef = {
  name: 'complaints',
  routes,
  fileOwners: { complaint: mayReadComplaintFile },
  verbs: {
    'complaint.handle': {
      zh: '受理和办结本辖区的投诉举报',
      en: 'Handle complaints in the jurisdiction',
      roles: ['supervisor', 'enforcer', 'info_admin'],
    },
  },
};

/** The public page's complaint form (/t/{code}/complaint), mounted at the root next to the public pages. */
export const complaintPagesModule: ModuleDef = { name: 'complaintPages', routes: pages, prefix: '' };
