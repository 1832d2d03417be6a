/**
 * The database's table types (Kysely), assembled from each module's `tables.ts` (the module that owns a table is the
 * only one that writes it; `test/walls.test.ts` enforces that, and `test/schema-drift.test.ts` compares these types
 * with the migrated database). Add a table in its module's `tables.ts` and list that interface here.
 */
import type { KernelTables } from './kernel/tables.js';
import type { RegionsTables } from './modules/regions/tables.js';
import type { AccountsTables } from './modules/accounts/tables.js';
import type { OriginmapTables } from './modules/originmap/tables.js';
import type { SubjectsTables } from './modules/subjects/tables.js';
import type { DirectoryTables } from './modules/directory/tables.js';
import type { AgreementsTables } from './modules/agreements/tables.js';
import type { AgenciesTables } from './modules/agencies/tables.js';
import type { CatalogTables } from './modules/catalog/tables.js';
import type { BatchesTables } from './modules/batches/tables.js';
import type { CodesTables } from './modules/codes/tables.js';
import type { CertificatesTables } from './modules/certificates/tables.js';
import type { InputsTables } from './modules/inputs/tables.js';
import type { PublicTables } from './modules/public/tables.js';
import type { ComplaintsTables } from './modules/complaints/tables.js';
import type { SharingTables } from './modules/sharing/tables.js';
import type { SsoTables } from './modules/sso/tables.js';
import type { NotificationsTables } from './modules/notifications/tables.js';
import type { TradeTables } from './modules/trade/tables.js';
import type { RecallTables } from './modules/recall/tables.js';
import type { PatrolsTables } from './modules/patrols/tables.js';
import type { RandomchecksTables } from './modules/randomchecks/tables.js';
import type { MonitoringTables } from './modules/monitoring/tables.js';
import type { EnforcementTables } from './modules/enforcement/tables.js';
import type { CreditTables } from './modules/credit/tables.js';
import type { InfocatalogTables } from './modules/infocatalog/tables.js';
import type { ReviewTables } from './modules/review/tables.js';
import type { EvaluationTables } from './modules/evaluation/tables.js';
// issue 18
import type { WarningsTables } from './modules/warnings/tables.js';
import type { IncidentsTables } from './modules/incidents/tables.js';
import type { CertificationTables } from './modules/certification/tables.js';
import type { EpcisTables } from './modules/epcis/tables.js';

export type * from './kernel/tables.js';
export type * from './modules/regions/tables.js';
export type * from './modules/accounts/tables.js';
export type * from './modules/originmap/tables.js';
export type * from './modules/subjects/tables.js';
export type * from './modules/directory/tables.js';
export type * from './modules/agreements/tables.js';
export type * from './modules/agencies/tables.js';
export type * from './modules/catalog/tables.js';
export type * from './modules/batches/tables.js';
export type * from './modules/codes/tables.js';
export type * from './modules/certificates/tables.js';
export type * from './modules/inputs/tables.js';
export type * from './modules/public/tables.js';
export type * from './modules/complaints/tables.js';
export type * from './modules/notifications/tables.js';
export type * from './modules/sso/tables.js';
export type * from './modules/trade/tables.js';
export type * from './modules/recall/tables.js';
export type * from './modules/patrols/tables.js';
export type * from './modules/randomchecks/tables.js';
export type * from './modules/monitoring/tables.js';
export type * from './modules/enforcement/tables.js';
export type * from './modules/credit/tables.js';
export type * from './modules/sharing/tables.js';
export type * from './modules/infocatalog/tables.js';
export type * from './modules/review/tables.js';
export type * from './modules/evaluation/tables.js';
export type * from './modules/warnings/tables.js';
export type * from './modules/incidents/tables.js';
export type * from './modules/certification/tables.js';
export type * from './modules/epcis/tables.js';

export interface DB
  extends KernelTables,
    RegionsTables,
    AccountsTables,
    OriginmapTables,
    SubjectsTables,
    DirectoryTables,
    AgreementsTables,
    AgenciesTables,
    CatalogTables,
    BatchesTables,
    CodesTables,
    CertificatesTables,
    InputsTables,
    PublicTables,
    ComplaintsTables,
    NotificationsTables,
    TradeTables,
    RecallTables,
    PatrolsTables,
    RandomchecksTables,
    MonitoringTables,
    EnforcementTables,
    CreditTables,
    SharingTables,
    SsoTables,
    InfocatalogTables,
    ReviewTables,
    EvaluationTables,
    WarningsTables,
    IncidentsTables,
    CertificationTables,
    EpcisTables {}
