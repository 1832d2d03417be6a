import { assembleVerbs, type ModuleDef } from '../kernel/module.js';
import { accountsModule } from './accounts/index.js';
import { auditModule } from './audit/index.js';
import { batchesModule } from './batches/index.js';
import { catalogModule } from './catalog/index.js';
import { certificatesModule } from './certificates/index.js';
import { codesModule } from './codes/index.js';
import { inputsModule } from './inputs/index.js';
import { labelsModule } from './labels/index.js';
import { lineageModule } from './lineage/index.js';
import { notificationsModule } from './notifications/index.js';
import { recallModule } from './recall/index.js';
import { tradeModule } from './trade/index.js';
import { authModule } from './auth/index.js';
import { healthModule } from './health/index.js';
import { jobsModule } from './jobs/index.js';
import { originmapModule } from './originmap/index.js';
import { regionsModule } from './regions/index.js';
import { filesModule } from './files/index.js';
import { subjectsModule } from './subjects/index.js';
import { complaintPagesModule, complaintsModule } from './complaints/index.js';
import { publicModule, publicPagesModule } from './public/index.js';
import { directoryModule } from './directory/index.js';
import { agreementsModule } from './agreements/index.js';
import { agenciesModule } from './agencies/index.js';
import { creditModule } from './credit/index.js';
import { enforcementModule } from './enforcement/index.js';
import { monitoringModule } from './monitoring/index.js';
import { patrolsModule } from './patrols/index.js';
import { randomChecksModule } from './randomchecks/index.js';
import { supStatsModule } from './supstats/index.js';
import { sharingModule } from './sharing/index.js';
import { ssoModule } from './sso/index.js';
import { infocatalogModule } from './infocatalog/index.js';
import { reviewModule } from './review/index.js';
import { evaluationModule } from './evaluation/index.js';
// issue 18: decision support and emergency command
import { dashboardModule } from './dashboard/index.js';
import { warningsModule } from './warnings/index.js';
import { incidentsModule } from './incidents/index.js';
import { certificationModule } from './certification/index.js';
import { epcisModule } from './epcis/index.js';

/** Every feature module, in mounting order. Add a module here and nowhere else. */
export const MODULES: readonly ModuleDef[] = [
  healthModule,
  authModule,
  regionsModule,
  accountsModule,
  auditModule,
  jobsModule,
  filesModule,
  notificationsModule,
  subjectsModule,
  directoryModule,
  agreementsModule,
  agenciesModule,
  catalogModule,
  batchesModule,
  codesModule,
  labelsModule,
  certificatesModule,
  inputsModule,
  tradeModule,
  lineageModule,
  recallModule,
  publicModule,
  publicPagesModule,
  complaintsModule,
  complaintPagesModule,
  originmapModule,
  creditModule,
  patrolsModule,
  randomChecksModule,
  monitoringModule,
  enforcementModule,
  supStatsModule,
  sharingModule,
  ssoModule,
  infocatalogModule,
  reviewModule,
  evaluationModule,
  // issue 18
  dashboardModule,
  warningsModule,
  incidentsModule,
  certificationModule,
  // issue 14 item 4: EPCIS 2.0 capture and query
  epcisModule,
];

export const VERB_TABLE = assembleVerbs(MODULES);
