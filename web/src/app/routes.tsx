import {
  AlertOutlined,
  ApartmentOutlined,
  AppstoreOutlined,
  AuditOutlined,
  BarChartOutlined,
  BarcodeOutlined,
  BellOutlined,
  BranchesOutlined,
  CloudUploadOutlined,
  CheckSquareOutlined,
  ContactsOutlined,
  CopyOutlined,
  DeploymentUnitOutlined,
  EnvironmentOutlined,
  ExperimentOutlined,
  FileProtectOutlined,
  FileSearchOutlined,
  FormOutlined,
  GlobalOutlined,
  HomeOutlined,
  IdcardOutlined,
  ImportOutlined,
  InboxOutlined,
  MessageOutlined,
  PrinterOutlined,
  SafetyCertificateOutlined,
  ScanOutlined,
  ScheduleOutlined,
  ShopOutlined,
  SolutionOutlined,
  TableOutlined,
  TeamOutlined,
  ThunderboltOutlined,
  UploadOutlined,
  UserOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { lazy, type ReactNode } from 'react';

/**
 * The page registry: one entry per page. A feature adds its pages here and nowhere else; the router, the menu
 * (filtered by the caller's verbs) and the access check all read this table.
 */
export interface AppRoute {
  path: string;
  component: React.LazyExoticComponent<React.ComponentType>;
  /** No login needed; rendered without the application layout (e.g. registration, public pages). */
  public?: boolean;
  /** The verb the page needs; without it the page is not in the menu and shows "no permission". */
  verb?: string;
  /** Only on a platform of this tier (pages over what only that tier holds, e.g. the national network lineage). */
  tier?: 'national';
  /** Not for accounts of these kinds of organisation (though they hold the verb), with what to tell them instead. */
  notFor?: { orgKinds: readonly string[]; zh: string; en: string };
  /** A menu entry under a group. Omit for pages reached by links only (details). */
  menu?: { group: MenuGroup; zh: string; en: string; icon: ReactNode; order?: number };
}

/** Whether a page belongs on this platform's tier (a page without a tier is on every tier). */
export const tierFits = (r: Pick<AppRoute, 'tier'>, platformTier: string | undefined) =>
  !r.tier || r.tier === platformTier;

/** Whether a page is for the caller's kind of organisation. */
export const kindFits = (r: Pick<AppRoute, 'notFor'>, orgKind: string | undefined) =>
  !r.notFor || !orgKind || !r.notFor.orgKinds.includes(orgKind);

export const MENU_GROUPS = {
  home: { zh: '首页', en: 'Home', order: 0 },
  subjects: { zh: '主体管理', en: 'Producers', order: 10 },
  trace: { zh: '追溯管理', en: 'Traceability', order: 20 },
  supervision: { zh: '监管巡查', en: 'Supervision', order: 30 },
  monitoring: { zh: '检测监测', en: 'Monitoring', order: 40 },
  enforcement: { zh: '执法', en: 'Enforcement', order: 50 },
  originmap: { zh: '产地数字地图', en: 'Origin map', order: 60 },
  system: { zh: '系统管理', en: 'Administration', order: 90 },
} as const;
export type MenuGroup = keyof typeof MENU_GROUPS;

export const ROUTES: AppRoute[] = [
  {
    path: '/',
    component: lazy(() => import('../features/home/HomePage')),
    menu: { group: 'home', zh: '工作台', en: 'Dashboard', icon: <HomeOutlined /> },
  },
  { path: '/profile', component: lazy(() => import('../features/auth/ProfilePage')) },
  { path: '/password', component: lazy(() => import('../features/auth/ChangePasswordPage')) },
  // ── producers (生产经营主体), docs/subjects.md ──
  { path: '/register', public: true, component: lazy(() => import('../features/subjects/RegisterPage')) },
  // third-party service agencies (第三方服务机构) register themselves; the province reviews
  { path: '/agency-register', public: true, component: lazy(() => import('../features/subjects/AgencyRegisterPage')) },
  {
    path: '/agency-register/:orgId',
    public: true,
    component: lazy(() => import('../features/subjects/AgencyRegisterPage')),
  },
  {
    path: '/my-subject',
    verb: 'mySubject.read',
    component: lazy(() => import('../features/subjects/MySubjectPage')),
    menu: { group: 'subjects', zh: '我的主体', en: 'My producer record', icon: <IdcardOutlined />, order: 1 },
  },
  {
    path: '/subject-reviews',
    verb: 'subject.review',
    component: lazy(() => import('../features/subjects/ReviewQueuePage')),
    menu: { group: 'subjects', zh: '主体审核', en: 'Producer review', icon: <CheckSquareOutlined />, order: 10 },
  },
  {
    path: '/subjects/duplicates',
    verb: 'subject.review',
    component: lazy(() => import('../features/subjects/DuplicatesPage')),
    menu: { group: 'subjects', zh: '重复注册', en: 'Duplicate registrations', icon: <CopyOutlined />, order: 12 },
  },
  {
    path: '/subjects',
    verb: 'subject.read',
    component: lazy(() => import('../features/subjects/SubjectsPage')),
    menu: { group: 'subjects', zh: '主体查询', en: 'Producers', icon: <ShopOutlined />, order: 20 },
  },
  { path: '/s/:code', verb: 'subject.read', component: lazy(() => import('../features/subjects/IdentityPage')) },
  {
    path: '/directory',
    verb: 'directory.read',
    component: lazy(() => import('../features/subjects/DirectoryPage')),
    menu: { group: 'subjects', zh: '监管名录', en: 'Directory', icon: <ContactsOutlined />, order: 30 },
  },
  {
    path: '/agreements',
    verb: 'agreement.read',
    component: lazy(() => import('../features/subjects/AgreementsPage')),
    menu: { group: 'subjects', zh: '追溯协议', en: 'Agreements', icon: <FileProtectOutlined />, order: 40 },
  },
  {
    path: '/subject-import',
    verb: 'subject.import',
    component: lazy(() => import('../features/subjects/ImportPage')),
    menu: { group: 'subjects', zh: '历史数据导入', en: 'Import', icon: <ImportOutlined />, order: 50 },
  },
  {
    path: '/service-agencies',
    verb: 'agency.read',
    component: lazy(() => import('../features/subjects/AgenciesPage')),
    menu: { group: 'subjects', zh: '服务机构', en: 'Service agencies', icon: <SolutionOutlined />, order: 60 },
  },
  {
    path: '/agency/clients',
    verb: 'agency.collect',
    component: lazy(() => import('../features/subjects/ClientsPage')),
    menu: { group: 'subjects', zh: '服务的主体（代录）', en: 'Clients (enter for)', icon: <TeamOutlined />, order: 70 },
  },
  {
    path: '/divisions',
    component: lazy(() => import('../features/divisions/DivisionsPage')),
    menu: { group: 'system', zh: '行政区划', en: 'Divisions', icon: <EnvironmentOutlined />, order: 30 },
  },
  {
    path: '/organisations',
    verb: 'org.read',
    component: lazy(() => import('../features/orgs/OrgsPage')),
    menu: { group: 'system', zh: '机构管理', en: 'Organisations', icon: <ApartmentOutlined />, order: 10 },
  },
  {
    path: '/users',
    verb: 'user.read',
    component: lazy(() => import('../features/users/UsersPage')),
    menu: { group: 'system', zh: '账号管理', en: 'Accounts', icon: <TeamOutlined />, order: 20 },
  },
  {
    path: '/sharing',
    verb: 'sharing.manage',
    component: lazy(() => import('../features/sharing/ConnectionsPage')),
    menu: { group: 'system', zh: '平台对接', en: 'Platform connections', icon: <ApartmentOutlined />, order: 60 },
  },
  {
    path: '/portal',
    component: lazy(() => import('../features/sharing/PortalPage')),
    menu: { group: 'system', zh: '下级平台入口', en: 'Lower platforms', icon: <GlobalOutlined />, order: 62 },
  },
  {
    path: '/shared-records',
    verb: 'sharing.read',
    component: lazy(() => import('../features/sharing/SharedRecordsPage')),
    menu: { group: 'system', zh: '共享记录', en: 'Shared records', icon: <AuditOutlined />, order: 61 },
  },
  {
    path: '/sharing/corrections',
    verb: 'sharing.read',
    component: lazy(() => import('../features/sharing/CorrectionsPage')),
    menu: { group: 'system', zh: '更正请求', en: 'Correction requests', icon: <AuditOutlined />, order: 63 },
  },
  {
    path: '/audit',
    verb: 'audit.read',
    component: lazy(() => import('../features/audit/AuditPage')),
    menu: { group: 'system', zh: '审计日志', en: 'Audit log', icon: <AuditOutlined />, order: 40 },
  },
  {
    path: '/origin/map',
    verb: 'origin.read',
    component: lazy(() => import('../features/originmap/MapPage')),
    menu: { group: 'originmap', zh: '一张图', en: 'Map', icon: <GlobalOutlined />, order: 10 },
  },
  {
    path: '/origin/table',
    verb: 'origin.read',
    component: lazy(() => import('../features/originmap/TablePage')),
    menu: { group: 'originmap', zh: '一张表（审核）', en: 'Table (review)', icon: <TableOutlined />, order: 20 },
  },
  {
    path: '/origin/collect',
    verb: 'origin.collect',
    component: lazy(() => import('../features/originmap/CollectPage')),
    menu: { group: 'originmap', zh: '现场采集', en: 'Collect on site', icon: <FormOutlined />, order: 30 },
  },
  {
    path: '/origin/import',
    verb: 'origin.collect',
    notFor: {
      orgKinds: ['producer', 'service'],
      zh: '表格批量导入由乡镇、县级采集人员使用；生产经营主体和服务机构请在“现场采集”中逐条填报。',
      en: 'Spreadsheet import is for township and county collectors; producers and service agencies enter records one by one under "Collect on site".',
    },
    component: lazy(() => import('../features/originmap/ImportPage')),
    menu: { group: 'originmap', zh: '表格导入', en: 'Import', icon: <UploadOutlined />, order: 40 },
  },
  {
    path: '/origin/flags',
    verb: 'origin.read',
    component: lazy(() => import('../features/originmap/FlagsPage')),
    menu: { group: 'originmap', zh: '巡查提示', en: 'Patrol flags', icon: <AlertOutlined />, order: 50 },
  },
  {
    path: '/origin/mine',
    verb: 'origin.collect',
    component: lazy(() => import('../features/originmap/MyRecordsPage')),
    menu: { group: 'originmap', zh: '我的采集', en: 'My records', icon: <SolutionOutlined />, order: 35 },
  },
  {
    path: '/origin/deadlines',
    verb: 'origin.read',
    component: lazy(() => import('../features/originmap/DeadlinesPage')),
    menu: { group: 'originmap', zh: '审核整改时限', en: 'Deadlines', icon: <ScheduleOutlined />, order: 25 },
  },
  {
    path: '/origin/standards',
    verb: 'origin.read',
    component: lazy(() => import('../features/originmap/StandardsPage')),
    menu: { group: 'originmap', zh: '采集标准', en: 'Thresholds', icon: <FileSearchOutlined />, order: 60 },
  },
  {
    path: '/origin/collectors',
    verb: 'origin.authorise',
    component: lazy(() => import('../features/originmap/CollectorsPage')),
    menu: { group: 'originmap', zh: '采集机构授权', en: 'Collectors', icon: <IdcardOutlined />, order: 70 },
  },
  {
    path: '/complaints',
    verb: 'complaint.handle',
    component: lazy(() => import('../features/public/ComplaintsPage')),
    menu: { group: 'supervision', zh: '投诉举报', en: 'Complaints', icon: <MessageOutlined />, order: 50 },
  },
  {
    path: '/query-logs',
    verb: 'querylog.read',
    component: lazy(() => import('../features/public/QueryLogPage')),
    menu: { group: 'trace', zh: '查询记录', en: 'Query log', icon: <FileSearchOutlined />, order: 80 },
  },
  {
    path: '/tokens',
    verb: 'token.manage',
    component: lazy(() => import('../features/auth/TokensPage')),
    menu: { group: 'system', zh: 'API 令牌', en: 'API tokens', icon: <UserOutlined />, order: 50 },
  },
  {
    path: '/trace/batches',
    verb: 'batch.read',
    component: lazy(() => import('../features/trace/BatchesPage')),
    menu: {
      group: 'trace',
      zh: '生产批次与合格证',
      en: 'Batches & certificates',
      icon: <BarcodeOutlined />,
      order: 10,
    },
  },
  {
    path: '/trace/batches/:id',
    verb: 'batch.read',
    component: lazy(() => import('../features/trace/BatchDetailPage')),
  },
  {
    path: '/trace/certificates',
    verb: 'batch.read',
    component: lazy(() => import('../features/trace/CertificatesPage')),
    menu: { group: 'trace', zh: '合格证', en: 'Certificates', icon: <SafetyCertificateOutlined />, order: 15 },
  },
  {
    path: '/trace/codes',
    verb: 'code.reserve',
    component: lazy(() => import('../features/trace/CodesPage')),
    menu: { group: 'trace', zh: '第三方印刷码段', en: 'Printer code ranges', icon: <PrinterOutlined />, order: 30 },
  },
  {
    path: '/trace/catalog',
    verb: 'batch.read',
    component: lazy(() => import('../features/trace/CatalogPage')),
    menu: { group: 'trace', zh: '产品与基地', en: 'Products & bases', icon: <AppstoreOutlined />, order: 20 },
  },
  // ── the chain (issue 5)
  {
    path: '/chain/sell',
    verb: 'trade.sell',
    component: lazy(() => import('../features/chain/SellPage')),
    menu: { group: 'trace', zh: '销售（扫码交易）', en: 'Sell (scan-to-trade)', icon: <ShopOutlined />, order: 30 },
  },
  {
    path: '/chain/receive',
    verb: 'trade.receive',
    component: lazy(() => import('../features/chain/ReceivePage')),
    menu: { group: 'trace', zh: '收货确认', en: 'Receive', icon: <InboxOutlined />, order: 31 },
  },
  {
    path: '/chain/repack',
    verb: 'batch.transform',
    component: lazy(() => import('../features/chain/RepackPage')),
    menu: { group: 'trace', zh: '分装/合并', en: 'Split / merge', icon: <DeploymentUnitOutlined />, order: 32 },
  },
  {
    path: '/chain/gate',
    verb: 'trade.verify',
    component: lazy(() => import('../features/chain/GatePage')),
    menu: { group: 'trace', zh: '入市查验', en: 'Market gate', icon: <ScanOutlined />, order: 33 },
  },
  {
    path: '/chain/trace',
    verb: 'lineage.read',
    component: lazy(() => import('../features/chain/TracePage')),
    menu: { group: 'trace', zh: '链条追溯', en: 'Trace the chain', icon: <BranchesOutlined />, order: 34 },
  },
  { path: '/chain/trace/:id', verb: 'lineage.read', component: lazy(() => import('../features/chain/TracePage')) },
  {
    path: '/chain/recalls',
    verb: 'recall.read',
    component: lazy(() => import('../features/chain/RecallsPage')),
    menu: { group: 'trace', zh: '召回', en: 'Recalls', icon: <AlertOutlined />, order: 35 },
  },
  {
    path: '/chain/recalls/:id',
    verb: 'recall.read',
    component: lazy(() => import('../features/chain/RecallDetailPage')),
  },
  // ── chains across platforms, at national (issue 15) ──
  {
    path: '/chain/network',
    verb: 'lineage.graph',
    tier: 'national',
    component: lazy(() => import('../features/chain/NetworkLineagePage')),
    menu: {
      group: 'trace',
      zh: '全国链条（跨平台）',
      en: 'Chains across platforms',
      icon: <GlobalOutlined />,
      order: 34.5,
    },
  },
  {
    path: '/chain/network-recalls/:id',
    verb: 'recall.read',
    tier: 'national',
    component: lazy(() => import('../features/chain/NetworkRecallPage')),
  },
  {
    path: '/chain/anomalies',
    verb: 'trade.read',
    component: lazy(() => import('../features/chain/AnomaliesPage')),
    menu: { group: 'trace', zh: '异常预警', en: 'Anomalies', icon: <WarningOutlined />, order: 36 },
  },
  // ── supervision, monitoring, enforcement, credit (issue 8) ──
  { path: '/public/offenders', public: true, component: lazy(() => import('../features/supervision/OffendersPage')) },
  {
    path: '/notifications',
    component: lazy(() => import('../features/supervision/NotificationsPage')),
    menu: { group: 'home', zh: '通知', en: 'Notifications', icon: <BellOutlined />, order: 5 },
  },
  {
    path: '/supervision/patrol',
    verb: 'patrol.start',
    component: lazy(() => import('../features/supervision/PatrolPage')),
    menu: { group: 'supervision', zh: '扫码巡查', en: 'Scan & patrol', icon: <ScanOutlined />, order: 10 },
  },
  {
    path: '/supervision/patrols',
    verb: 'patrol.read',
    component: lazy(() => import('../features/supervision/PatrolsPage')),
    menu: {
      group: 'supervision',
      zh: '巡查计划与记录',
      en: 'Patrol plans & records',
      icon: <ScheduleOutlined />,
      order: 20,
    },
  },
  {
    path: '/supervision/draws',
    verb: 'randomcheck.read',
    component: lazy(() => import('../features/supervision/DrawsPage')),
    menu: { group: 'supervision', zh: '双随机抽查', en: 'Random checks', icon: <ThunderboltOutlined />, order: 30 },
  },
  {
    path: '/credit',
    verb: 'credit.read',
    component: lazy(() => import('../features/supervision/CreditPage')),
    menu: {
      group: 'supervision',
      zh: '诚信档案',
      en: 'Credit archive',
      icon: <SafetyCertificateOutlined />,
      order: 40,
    },
  },
  {
    path: '/credit/agencies/:orgId',
    verb: 'credit.read',
    component: lazy(() => import('../features/supervision/CreditPage').then((m) => ({ default: m.AgencyCreditPage }))),
  },
  {
    path: '/credit/my-agency',
    verb: 'credit.readAgency',
    component: lazy(() =>
      import('../features/supervision/CreditPage').then((m) => ({ default: m.MyAgencyCreditPage })),
    ),
    menu: {
      group: 'subjects',
      zh: '本机构诚信档案',
      en: "My agency's credit record",
      icon: <SafetyCertificateOutlined />,
      order: 91,
    },
  },
  {
    path: '/credit/:subjectId',
    verb: 'credit.read',
    component: lazy(() => import('../features/supervision/CreditPage').then((m) => ({ default: m.SubjectCreditPage }))),
  },
  {
    path: '/my-credit',
    verb: 'credit.readOwn',
    component: lazy(() => import('../features/supervision/CreditPage').then((m) => ({ default: m.MyCreditPage }))),
    menu: {
      group: 'subjects',
      zh: '我的诚信档案',
      en: 'My credit record',
      icon: <SafetyCertificateOutlined />,
      order: 90,
    },
  },
  {
    path: '/supervision/stats',
    verb: 'supstats.read',
    component: lazy(() => import('../features/supervision/StatsPage')),
    menu: { group: 'supervision', zh: '监管统计', en: 'Statistics', icon: <BarChartOutlined />, order: 50 },
  },
  // ── issue 18: decision support and emergency command ──
  {
    path: '/dashboard',
    verb: 'dashboard.read',
    component: lazy(() => import('../features/decision/DashboardPage')),
    menu: { group: 'supervision', zh: '决策看板', en: 'Dashboard', icon: <BarChartOutlined />, order: 51 },
  },
  {
    path: '/warnings',
    verb: 'warning.read',
    component: lazy(() => import('../features/decision/WarningsPage')),
    menu: { group: 'supervision', zh: '预警', en: 'Early warnings', icon: <BarChartOutlined />, order: 52 },
  },
  {
    path: '/warnings/rules',
    verb: 'warning.read',
    component: lazy(() => import('../features/decision/WarningRulesPage')),
    menu: { group: 'supervision', zh: '预警规则', en: 'Warning rules', icon: <AlertOutlined />, order: 53 },
  },
  {
    path: '/incidents',
    verb: 'incident.read',
    component: lazy(() => import('../features/decision/IncidentsPage')),
    menu: { group: 'supervision', zh: '应急指挥', en: 'Incidents', icon: <BarChartOutlined />, order: 53 },
  },
  {
    path: '/incidents/:id',
    verb: 'incident.read',
    component: lazy(() => import('../features/decision/IncidentsPage')),
  },
  {
    path: '/certification',
    verb: 'certification.read',
    component: lazy(() => import('../features/decision/CoveragePage')),
    menu: {
      group: 'supervision',
      zh: '认证追溯覆盖',
      en: 'Certification coverage',
      icon: <BarChartOutlined />,
      order: 54,
    },
  },
  {
    path: '/monitoring/tasks',
    verb: 'monitoring.read',
    component: lazy(() => import('../features/supervision/TasksPage')),
    menu: { group: 'monitoring', zh: '监测任务', en: 'Monitoring tasks', icon: <FileSearchOutlined />, order: 10 },
  },
  {
    path: '/monitoring/lab',
    verb: 'monitoring.sample',
    component: lazy(() => import('../features/supervision/LabPage')),
    menu: {
      group: 'monitoring',
      zh: '抽样与检测结果',
      en: 'Sampling & results',
      icon: <ExperimentOutlined />,
      order: 20,
    },
  },
  {
    path: '/risk-cases',
    verb: 'monitoring.read',
    component: lazy(() => import('../features/supervision/RiskCasesPage')),
    menu: { group: 'monitoring', zh: '风险处置', en: 'Risk cases', icon: <AlertOutlined />, order: 30 },
  },
  {
    path: '/risk-cases/:id',
    verb: 'monitoring.read',
    component: lazy(() => import('../features/supervision/RiskCasesPage').then((m) => ({ default: m.RiskCasePage }))),
  },
  {
    path: '/enforcement/cases',
    verb: 'enforcement.read',
    component: lazy(() => import('../features/supervision/EnforcementPage')),
    menu: {
      group: 'enforcement',
      zh: '行政处罚案件',
      en: 'Penalty cases',
      icon: <SafetyCertificateOutlined />,
      order: 10,
    },
  },
  // ── information resource catalogue, review, evaluation (issue 13) ──
  {
    path: '/info-catalog',
    verb: 'infocatalog.read',
    component: lazy(() => import('../features/infocatalog/CatalogPage')),
    menu: { group: 'supervision', zh: '信息资源目录', en: 'Information catalogue', icon: <AuditOutlined />, order: 60 },
  },
  {
    path: '/reviews',
    verb: 'review.read',
    component: lazy(() => import('../features/infocatalog/ReviewsPage')),
    menu: { group: 'supervision', zh: '信息审核', en: 'Information review', icon: <CheckSquareOutlined />, order: 61 },
  },
  {
    path: '/evaluation',
    verb: 'evaluation.read',
    component: lazy(() => import('../features/infocatalog/EvaluationPage')),
    menu: { group: 'supervision', zh: '考核评价', en: 'Evaluation', icon: <BarChartOutlined />, order: 62 },
  },
  {
    path: '/evaluation/patrols/:id',
    verb: 'evaluation.patrol',
    component: lazy(() => import('../features/infocatalog/OnlinePatrolPage')),
  },
  {
    path: '/evaluation/notices',
    verb: 'evaluation.notices',
    component: lazy(() => import('../features/infocatalog/NoticesPage')),
    menu: { group: 'supervision', zh: '整改通知', en: 'Rectification notices', icon: <BellOutlined />, order: 63 },
  },
  {
    path: '/evaluation/notices/:id',
    verb: 'evaluation.notices',
    component: lazy(() => import('../features/infocatalog/NoticesPage')),
  },
  // ── field app (issue 16): the device's offline queue ──
  {
    path: '/field/queue',
    component: lazy(() => import('../features/field/QueuePage')),
    menu: { group: 'home', zh: '离线待发送', en: 'Offline queue', icon: <CloudUploadOutlined />, order: 90 },
  },
  // ── field app (issue 16 item 2): the account's codes kept on phones for offline labels, to see and release ──
  {
    path: '/field/codes',
    verb: 'code.issue',
    component: lazy(() => import('../features/field/DeviceCodesPage')),
    menu: { group: 'home', zh: '本机预留码', en: 'Codes on this phone', icon: <BarcodeOutlined />, order: 88 },
  },
  // ── field app (issue 16 item 5): acting for a farmer with the farmer's recorded consent ──
  {
    path: '/field/act-for',
    verb: 'farmer.assist',
    component: lazy(() => import('../features/field/ActForFarmerPage')),
    menu: { group: 'home', zh: '代农户办理', en: 'Act for a farmer', icon: <SolutionOutlined />, order: 85 },
  },
  // ── issue 17: enforcement inspections and case detail ──
  {
    path: '/enforcement/cases/:id',
    verb: 'enforcement.read',
    component: lazy(() => import('../features/supervision/EnforcementCasePage')),
  },
  {
    path: '/enforcement/inspect',
    verb: 'enforcement.read',
    component: lazy(() => import('../features/supervision/InspectionPage')),
    menu: { group: 'enforcement', zh: '扫码执法检查', en: 'Scan & inspect', icon: <ScanOutlined />, order: 5 },
  },
];
