import type { ModuleDef } from '../../kernel/module.js';
import { subjectsDemo, demoProducersStep } from './demo.js';
import { runReviewDeadlines } from './deadlines.js';
import routes from './routes.js';
import { importJob, JOB_KIND, mayReadImportFile } from './import.js';
import { ensureDerivedWithCurrentKey } from './registry.js';
import { mayReadSubjectFile } from './service.js';
import { subjectReviewOwners } from './service/review-owners.js';

const REGULATORS = ['info_admin', 'supervisor', 'collector', 'inspector', 'enforcer'] as const;

/** 生产经营主体 Producers: registration, review, identity codes, changes, cancellation/revocation, sub-accounts. */
export const subjectsModule: ModuleDef = {
  name: 'subjects',
  routes,
  demo: [subjectsDemo, demoProducersStep],
  jobs: {
    [JOB_KIND]: importJob,
    /** Reminds county reviewers before the 5-working-day deadline and escalates overdue ones (第八条). */
    'subject.deadlines': { run: (job) => runReviewDeadlines(job.db), everyMs: 3600_000 },
    /** The national identity key arrived (sharing enqueues it): re-issue codes and hashes derived before. */
    'subjects.rekey': {
      run: (job) =>
        job.db
          .transaction()
          .execute((trx) => ensureDerivedWithCurrentKey({ db: trx, actor: null, ip: null, config: job.config })),
    },
  },
  fileOwners: { subject: mayReadSubjectFile, subject_import: mayReadImportFile },
  /** Registrations, changes, cancellations and revocations are decided on the one review queue too (kernel/review.ts). */
  reviewOwners: subjectReviewOwners,
  verbs: {
    'subject.read': { zh: '查看辖区生产经营主体', en: 'View producers in the jurisdiction', roles: REGULATORS },
    'subject.review': {
      zh: '审核主体注册/变更/注销/撤销',
      en: 'Review producer applications',
      roles: ['supervisor', 'info_admin'],
    },
    'subject.revoke': { zh: '提请撤销主体', en: 'Propose revoking a producer', roles: ['supervisor', 'info_admin'] },
    'subject.import': {
      zh: '导入历史注册主体',
      en: 'Import historic producer registrations',
      roles: ['info_admin', 'supervisor'],
    },
    'mySubject.read': {
      zh: '查看本主体信息与审核进度',
      en: 'View my producer record',
      roles: ['producer_applicant', 'producer_admin', 'producer_staff'],
    },
    'mySubject.resubmit': {
      zh: '修改并重新提交注册申请',
      en: 'Correct and resubmit my registration',
      roles: ['producer_applicant'],
    },
    'mySubject.change': {
      zh: '申请变更/注销本主体',
      en: 'Request changes or cancellation of my producer record',
      roles: ['producer_admin'],
    },
    'mySubject.staff': { zh: '管理子账号', en: 'Manage sub-accounts', roles: ['producer_admin'] },
  },
};
