/**
 * The one error catalogue. Every failure a client can see is a Problem with a stable code, an HTTP status and a
 * message in Chinese (zh-CN, shown first) and English. `{name}` in a message is filled from the problem's params.
 * Answer body: { statusCode, code, message, messageEn, field?, details? }.
 */
export const CATALOGUE = {
  // 400 — the request itself is wrong
  MALFORMED_JSON: { status: 400, zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  VALIDATION_FAILED: { status: 400, zh: '字段“{field}”{reasonZh}', en: 'Field "{field}" {reasonEn}' },
  WEAK_PASSWORD: {
    status: 400,
    zh: '密码至少 8 位，且须同时包含字母和数字',
    en: 'The password must be at least 8 characters and contain both letters and digits',
  },
  PASSWORD_REUSED: {
    status: 400,
    zh: '新密码不能与当前密码相同',
    en: 'The new password must differ from the current one',
  },
  WRONG_PASSWORD: { status: 400, zh: '当前密码不正确', en: 'The current password is incorrect' },
  UNKNOWN_DIVISION: { status: 400, zh: '行政区划代码“{code}”不存在', en: 'Division code "{code}" does not exist' },
  UNKNOWN_ROLE: { status: 400, zh: '角色“{role}”不存在', en: 'Role "{role}" does not exist' },
  ROLE_NOT_FOR_ORG: {
    status: 400,
    zh: '角色“{role}”不能授予{orgKindZh}的账号',
    en: 'Role "{role}" cannot be granted to an account of a {orgKindEn} organisation',
  },
  VERB_NOT_HELD: {
    status: 400,
    zh: '不能授予自己没有的权限“{verb}”',
    en: 'You cannot grant the permission "{verb}" that you do not hold',
  },
  // 401 — who are you?
  UNAUTHENTICATED: { status: 401, zh: '请先登录', en: 'Please log in first' },
  SESSION_EXPIRED: { status: 401, zh: '登录已过期，请重新登录', en: 'Your session has expired; please log in again' },
  INVALID_CREDENTIALS: {
    status: 401,
    zh: '用户名或密码错误，还可尝试 {remaining} 次',
    en: 'Wrong username or password; {remaining} attempts left',
  },
  // 403 — you may not
  ACCOUNT_DISABLED: {
    status: 403,
    zh: '账号已停用，请联系信息管理员',
    en: 'This account is disabled; contact your information administrator',
  },
  ACCOUNT_LOCKED: {
    status: 423,
    zh: '连续登录失败次数过多，账号已锁定，请在 {minutes} 分钟后再试',
    en: 'Too many failed logins: the account is locked; try again in {minutes} minutes',
  },
  LOGIN_THROTTLED: {
    status: 429,
    zh: '登录失败次数过多，请在 {minutes} 分钟后再试',
    en: 'Too many failed logins; try again in {minutes} minutes',
  },
  PASSWORD_CHANGE_REQUIRED: {
    status: 403,
    zh: '首次登录或密码被重置后，须先修改密码',
    en: 'You must change your password first (first login or after a reset)',
  },
  FORBIDDEN_VERB: { status: 403, zh: '您没有“{verb}”权限', en: 'You lack the permission "{verb}"' },
  OUT_OF_JURISDICTION: {
    status: 403,
    zh: '该{targetZh}不在您的管辖范围内',
    en: 'This {targetEn} is outside your jurisdiction',
  },
  SELF_ACTION_FORBIDDEN: {
    status: 403,
    zh: '不能对自己的账号执行此操作',
    en: 'You cannot do this to your own account',
  },
  ACTION_NOT_ALLOWED: {
    status: 403,
    zh: '您不能对该记录执行“{actionZh}”',
    en: 'You may not "{actionEn}" this record',
  },
  // 404
  NOT_FOUND: { status: 404, zh: '{targetZh}不存在', en: '{targetEn} not found' },
  ROUTE_NOT_FOUND: { status: 404, zh: '接口不存在：{method} {url}', en: 'No such endpoint: {method} {url}' },
  // 409 — conflicts with what is already there
  DUPLICATE: { status: 409, zh: '{targetZh}已存在：{value}', en: '{targetEn} already exists: {value}' },
  INVALID_STATE: {
    status: 409,
    zh: '当前状态“{stateZh}”下不能执行“{actionZh}”',
    en: 'Cannot "{actionEn}" while the state is "{stateEn}"',
  },
  // 413 / 415 / 429
  BODY_TOO_LARGE: {
    status: 413,
    zh: '请求体过大（上限 {limit}）',
    en: 'The request body is too large (limit {limit})',
  },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型：{type}', en: 'Unsupported content type: {type}' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请稍后再试', en: 'Too many requests; please try again later' },
  // ── files (src/kernel/files.ts) ──
  FILE_EMPTY: { status: 400, zh: '上传的文件“{field}”是空的', en: 'The uploaded file "{field}" is empty' },
  UPLOAD_LOGIN_REQUIRED: {
    status: 401,
    zh: '请登录后再上传此类文件（未登录只能上传注册证照和投诉照片）',
    en: 'Log in to upload this kind of file (without an account only registration proofs and complaint photos)',
  },
  UPLOAD_QUOTA_EXCEEDED: {
    status: 429,
    zh: '上传过于频繁：每小时最多 {files} 个文件、共 {limit}，请稍后再试',
    en: 'Too many uploads: at most {files} files and {limit} per hour; try again later',
  },
  STORAGE_FULL: {
    status: 507,
    zh: '服务器存储空间不足，暂时无法上传，请联系管理员',
    en: 'The server is short of disk space; uploads are paused; contact the administrator',
  },
  FILE_TOO_LARGE: {
    status: 413,
    zh: '文件过大，请上传不超过 {limit} 的文件',
    en: 'The file is too large; the limit is {limit}',
  },
  FILE_TYPE_NOT_ALLOWED: {
    status: 415,
    zh: '文件类型不支持，请上传{allowedZh}',
    en: 'This file type is not accepted; upload a {allowedEn}',
  },
  FILE_NOT_USABLE: {
    status: 400,
    zh: '文件 {id} 不存在或不能使用，请重新上传',
    en: 'File {id} does not exist or cannot be used; please upload it again',
  },
  // ── supervision, monitoring, enforcement, credit (src/modules/patrols, randomchecks, monitoring, enforcement, credit) ──
  SUBJECT_CODE_UNKNOWN: {
    status: 404,
    zh: '没有找到身份码为“{code}”的生产经营主体，请核对后重新扫码或输入',
    en: 'No producer has the identity code "{code}"; check it and scan or type it again',
  },
  DRAW_POOL_TOO_SMALL: {
    status: 400,
    zh: '{poolZh}只有 {size} 个，少于要抽取的 {wanted} 个，请放宽筛选条件或减少数量',
    en: 'The {poolEn} has only {size} entries, fewer than the {wanted} to draw; widen the filter or draw fewer',
  },
  IMPORT_ROWS_INVALID: {
    status: 400,
    zh: '导入文件有 {count} 行错误，未导入任何数据，请按提示修改后重新上传',
    en: 'The import file has {count} invalid rows; nothing was imported; fix them and upload again',
  },
  // ── subjects (生产经营主体, src/modules/subjects) ──
  SUBJECT_DUPLICATE: {
    status: 409,
    zh: '该{certZh}已经注册过生产经营主体（状态：{statusZh}），不能重复注册。如忘记账号，请联系所在县农产品质量安全监管机构找回',
    en: 'A producer with this {certEn} is already registered (status: {statusEn}); it cannot be registered twice. If you lost the account, ask your county supervision agency',
  },
  SUBJECT_REGISTERED_ELSEWHERE: {
    status: 409,
    zh: '该{certZh}已在{platformZh}注册为生产经营主体（状态：{statusZh}）。生产经营主体全国只注册一次，不能在本平台重复注册；如需迁移，请先在{platformZh}办理注销，或联系该平台',
    en: 'A producer with this {certEn} is already registered on {platformEn} (status: {statusEn}). A producer registers once for the whole country and cannot register again here; to move, cancel the registration on {platformEn} first or contact that platform',
  },
  SUBJECT_REVIEW_COUNTY_ONLY: {
    status: 403,
    zh: '主体申请由所在县（区）的监管机构审核',
    en: 'Producer applications are reviewed by the supervision agency of the producer’s county',
  },
  SUBJECT_FOUR_EYES: {
    status: 403,
    zh: '撤销须由提请人以外的审核人员决定',
    en: 'A revocation must be decided by someone other than the officer who proposed it',
  },
  SUBJECT_NOT_ACTIVE: {
    status: 403,
    zh: '主体当前状态为“{statusZh}”，不能使用此功能',
    en: 'The producer’s registration is "{statusEn}"; this function is not available',
  },
  SUBJECT_NO_IDENTITY_CODE: {
    status: 409,
    zh: '主体尚未通过审核，还没有身份码',
    en: 'The producer is not approved yet and has no identity code',
  },
  SUBJECT_STAFF_LIMIT: { status: 409, zh: '子账号已达上限（99 个）', en: 'The limit of 99 sub-accounts is reached' },
  IMPORT_BAD_HEADERS: {
    status: 400,
    zh: '导入文件缺少必填列：{columns}。请下载最新模板填写',
    en: 'The import file lacks required columns: {columns}. Download the current template',
  },
  // ── agreements (追溯协议) ──
  AGREEMENT_COUNTY_ONLY: {
    status: 403,
    zh: '追溯协议模板由县级监管机构发布',
    en: 'Agreement templates are published by county agencies',
  },
  AGREEMENT_NOT_CURRENT: {
    status: 409,
    zh: '协议已更新，请阅读最新版本后再签订',
    en: 'The agreement has a newer version; read it and accept that one',
  },
  AGREEMENT_CLAUSE_MISSING: {
    status: 400,
    zh: '协议缺少必备条款“{clauseZh}”（clauses）：须载明信息采集、信息传递、扫码交易及信息真实性承诺',
    en: 'The agreement lacks the required clause "{clauseEn}" (clauses): collection, transfer, scan trading and truthfulness',
  },
  AGREEMENT_TEMPLATE_INCOMPLETE: {
    status: 409,
    zh: '本县协议缺少必备条款“{clauseZh}”，不能签订：请县级监管机构发布包含全部必备条款的新版本',
    en: 'The county agreement lacks the required clause "{clauseEn}" and cannot be accepted: the county must publish a complete version',
  },
  AGREEMENT_CLAUSE_NOT_ACCEPTED: {
    status: 400,
    zh: '请逐条阅读并勾选同意“{clauseZh}”条款（acceptedClauses）',
    en: 'Read and tick the clause "{clauseEn}" (acceptedClauses)',
  },
  AGREEMENT_NOT_OWN_COUNTY: {
    status: 403,
    zh: '只能由该主体所在县的县级监管机构签署协议',
    en: 'Only a county-level agency of the producer’s county may countersign',
  },
  // ── service agencies (第三方服务机构) ──
  AGENCY_REVIEW_PROVINCE_ONLY: {
    status: 403,
    zh: '服务机构由省级监管机构审核',
    en: 'Service agencies are reviewed by the provincial agency',
  },
  AGENCY_NOT_APPROVED: {
    status: 400,
    zh: '该服务机构不存在或尚未通过审核',
    en: 'This service agency does not exist or is not approved',
  },
  AGENCY_NOT_AUTHORISED: {
    status: 403,
    zh: '该主体未授权本机构代为采集“{scopeZh}”',
    en: 'The producer has not authorised your agency for "{scopeEn}"',
  },
  ORIGIN_COLLECTOR_NOT_AUTHORISED: {
    status: 403,
    zh: '本机构未获县级监管机构授权在该地区采集产地溯源信息（须先签订保密协议）',
    en: 'Your agency is not authorised by the county to collect origin records here (a confidentiality agreement comes first)',
  },
  ORIGIN_IMPORT_NOT_ALLOWED: {
    status: 403,
    zh: '产地溯源信息批量导入仅供监管机构和采集员使用；生产经营主体和服务机构请逐条采集',
    en: 'The origin spreadsheet import is for supervision staff and field collectors; producers and service agencies enter records one by one',
  },
  AGENCY_NOT_ACTING: {
    status: 403,
    zh: '请先在“服务的主体”中选择要代录的主体（须已授权本机构）',
    en: 'First choose, under "Clients", a producer that has authorised your agency',
  },
  CONSENT_REQUIRED: {
    status: 403,
    zh: '没有该农户同意您代为办理“{scopeZh}”的有效记录（未记录、已过期或已撤回），请先记录农户同意',
    en: 'There is no valid consent of this farmer for you to act on "{scopeEn}" (none recorded, expired or revoked); record the consent first',
  },
  CONSENT_NOT_ALLOWED: {
    status: 403,
    zh: '只有乡镇、村级监管人员或协管员（信息采集员）可以代农户办理',
    en: 'Only township or village officials and co-supervisors (field collectors) may act for a farmer',
  },
  SUBJECT_HAS_ACCOUNT: {
    status: 409,
    zh: '该主体已有主账号，请让其找回密码',
    en: 'This producer already has a main account; reset its password instead',
  },
  STALE_VERSION: {
    status: 409,
    zh: '数据已被他人修改，请刷新后重试',
    en: 'The record was changed by someone else; reload and try again',
  },
  // ── trace codes, batches, certificates (issue 4: src/modules/{catalog,batches,codes,labels,certificates,inputs}) ──
  NOT_A_PRODUCER: {
    status: 403,
    zh: '只有审核通过的生产经营主体账号才能执行此操作',
    en: 'Only accounts of an approved producer (subject) can do this',
  },
  CODE_MALFORMED: {
    status: 400,
    zh: '“{code}”不是有效的追溯码：{reasonZh}，请核对后重新输入或扫码',
    en: '"{code}" is not a valid trace code: {reasonEn}; check it and type or scan it again',
  },
  INSUFFICIENT_STOCK: {
    status: 409,
    zh: '批次库存不足：现有 {stock}{unit}，需要 {wanted}{unit}',
    en: 'Not enough stock in the batch: {stock} {unit} left, {wanted} {unit} needed',
  },
  CODE_ALREADY_USED: {
    status: 409,
    zh: '追溯码 {code} 已在 {usedAt} 用过（贴在另一张标签上），不能再用；请换下一个码重新打印',
    en: 'Trace code {code} was already used at {usedAt} (on another label) and cannot be used again; print with the next code',
  },
  CODE_NOT_IN_RESERVATION: {
    status: 409,
    zh: '追溯码 {code} 不属于这次预留，或已被释放作废',
    en: 'Trace code {code} is not one of this reservation, or it was released (voided)',
  },
  RESERVATION_EXPIRED: {
    status: 409,
    zh: '这批预留码已于 {expiresAt} 过期，请重新预留',
    en: 'These reserved codes expired at {expiresAt}; reserve new ones',
  },
  CODES_NOT_ACTIVATABLE: {
    status: 409,
    zh: '有 {count} 个追溯码不能激活（不是本主体预留的未激活码），未作任何更改',
    en: '{count} codes cannot be activated (not inactive codes reserved by you); nothing was changed',
  },
  SELF_CHECK_FAILED: {
    status: 409,
    zh: '该批次自检不合格，不能开具承诺达标合格证',
    en: 'The batch failed its self-check: no commitment compliance certificate can be issued for it',
  },
  INSIDE_SAFETY_INTERVAL: {
    status: 409,
    zh: '该批次采收日期在“{input}”的安全间隔期内（{until} 前不得采收），不能承诺达标',
    en: 'The batch was harvested inside the safety interval of "{input}" (not before {until}): compliance cannot be promised',
  },
  NOTHING_TO_REPEAT: {
    status: 409,
    zh: '还没有开过合格证，无法“重复上一张”，请先完整填写一次',
    en: 'No earlier certificate to repeat: fill in the form once first',
  },
  // ── the chain: sales, receipts, vouchers, split/merge, lineage, recall (issue 5: src/modules/{trade,lineage,recall}) ──
  BUYER_NOT_FOUND: {
    status: 400,
    zh: '找不到身份码为“{code}”的已注册主体，请核对或改为“未注册买方”并开具追溯凭证',
    en: 'No registered subject has the identity code "{code}"; check it, or sell to an unregistered buyer with a traceability voucher',
  },
  CANNOT_SELL_TO_SELF: { status: 400, zh: '不能把产品卖给自己', en: 'You cannot sell to yourself' },
  SALE_BATCH_NOT_SELLABLE: {
    status: 409,
    zh: '该批次“{stateZh}”，不能销售',
    en: 'This batch cannot be sold: {stateEn}',
  },
  BATCH_RECALLED: {
    status: 409,
    zh: '该批次正在召回（{number}），不能销售、分装或合并',
    en: 'This batch is under recall ({number}): it cannot be sold, split or merged',
  },
  NOT_YOUR_BATCH: { status: 403, zh: '这不是本主体的批次', en: 'This batch does not belong to you' },
  NO_PENDING_RECEIPT: {
    status: 404,
    zh: '没有待您确认的、来自该追溯码的销售记录，请核对是否扫错码或卖方尚未登记销售',
    en: 'There is no sale of this code waiting for your confirmation: check the code, or ask the seller to record the sale',
  },
  UNIT_MISMATCH: {
    status: 400,
    zh: '计量单位不一致（{a} 与 {b}），请先按同一单位登记',
    en: 'Units differ ({a} and {b}): record them in one unit first',
  },
  RECALL_ALREADY_OPEN: {
    status: 409,
    zh: '该批次已有进行中的召回：{number}',
    en: 'A recall of this batch is already open: {number}',
  },
  NOT_A_RECALL_HOLDER: {
    status: 403,
    zh: '本主体不在该召回的通知名单中',
    en: 'Your subject is not among the holders notified of this recall',
  },
  // ── public trace, query log, complaints (issue 6: src/modules/{public,complaints}) ──
  TRACE_CODE_UNKNOWN: {
    status: 404,
    zh: '查不到“{code}”：{reasonZh}',
    en: 'Nothing found for "{code}": {reasonEn}',
  },
  OUT_OF_TRACE_REACH: {
    status: 403,
    zh: '按查询权限规定，您只能查看本主体的记录及其上一级和下一级节点，监管部门只能查看本辖区的追溯信息',
    en: 'Query rights: producers see their own records and one step up and down; regulators see their jurisdiction only',
  },
  COMPLAINT_NO_TARGET: {
    status: 400,
    zh: '请填写商品标签上的追溯码或合格证编号，以便转给负责的监管部门',
    en: 'Give the trace code or certificate number from the label so the complaint can reach the responsible agency',
  },
  // ── upward sharing (issue 14: src/modules/sharing) ──
  SHARING_NOT_CONNECTED: {
    status: 403,
    zh: '平台“{platform}”{reasonZh}，不接收其共享数据',
    en: 'Platform "{platform}" {reasonEn}; its shared data is refused',
  },
  SHARING_BAD_SIGNATURE: {
    status: 401,
    zh: '共享数据的 SM2 签名校验失败（平台“{platform}”）',
    en: 'The SM2 signature of the shared data does not verify (platform "{platform}")',
  },
  SHARING_SEQUENCE_GAP: {
    status: 409,
    zh: '共享数据序号不连续：应从 {expected} 开始，收到 {got}',
    en: 'Shared data out of sequence: expected {expected}, got {got}',
  },
  SHARING_NO_UPPER: {
    status: 409,
    zh: '本平台未配置上级平台地址（UPPER_PLATFORM_URL）',
    en: 'This platform has no upper platform configured (UPPER_PLATFORM_URL)',
  },
  SHARING_NO_ROUTE: {
    status: 409,
    zh: '本平台没有通往平台“{platform}”的已批准对接，无法送达',
    en: 'This platform has no approved connection leading to platform "{platform}"; the message cannot be delivered',
  },
  NETWORK_LOOKUP_UNAVAILABLE: {
    status: 503,
    zh: '暂时无法向上级平台查询身份码“{code}”，请稍后再试',
    en: 'The identity code "{code}" cannot be looked up at the upper platform right now; try again later',
  },
  SHARING_UPPER_UNREACHABLE: {
    status: 502,
    zh: '上级平台无法访问或拒绝了申请：{reasonZh}',
    en: 'The upper platform cannot be reached or refused the application: {reasonEn}',
  },
  // ── single sign-on across tiers (issue 15 item 4: src/modules/sso, docs/sso.md) ──
  SSO_NOT_AVAILABLE: {
    status: 409,
    zh: '无法通过上级平台登录：{reasonZh}',
    en: 'Sign-in with the upper platform is not available: {reasonEn}',
  },
  SSO_NOT_LINKED: {
    status: 403,
    zh: '上级平台账号“{username}”尚未关联本平台账号：请先用本平台账号密码登录，再点击“关联上级平台账号”，或联系本平台信息管理员',
    en: 'The upper-platform account "{username}" is not linked to an account here: sign in here with your password and choose "Link my upper-platform account", or ask this platform\'s information administrator',
  },
  SSO_ALREADY_LINKED: {
    status: 409,
    zh: '该上级平台账号已关联本平台的另一个账号',
    en: 'That upper-platform account is already linked to another account here',
  },
  SSO_FAILED: {
    status: 400,
    zh: '通过上级平台登录失败：{reasonZh}',
    en: 'Sign-in with the upper platform failed: {reasonEn}',
  },
  EPCIS_INVALID: {
    status: 400,
    zh: 'EPCIS 文档不符合 EPCIS 2.0 JSON 模式：“{field}”{reasonZh}',
    en: 'The EPCIS document does not match the EPCIS 2.0 JSON schema: "{field}" {reasonEn}',
  },
  // information resource catalogue, review, online patrol (issue 13)
  CATALOG_RULE_VIOLATED: {
    status: 400,
    zh: '不符合信息资源目录 {version}：{reasonZh}',
    en: 'Refused by information resource catalogue {version}: {reasonEn}',
  },
  CATALOG_WEAKENED: {
    status: 400,
    zh: '地方目录只能增加选填的地方字段，不能放宽国家目录的规定：{reasonZh}',
    en: 'A local catalogue may only add optional local fields, never weaken a national rule: {reasonEn}',
  },
  CATALOG_TIER: {
    status: 403,
    zh: '本平台为{tierZh}，不能执行此目录操作：{reasonZh}',
    en: 'This platform is {tierEn} and cannot do this with catalogues: {reasonEn}',
  },
  REVIEW_OWN_ENTRY: {
    status: 403,
    zh: '不能审核自己录入的信息（信息审核制度：录入与审核由不同人员承担）',
    en: 'Nobody reviews their own entry (review rule: the person who entered a record does not review it)',
  },
  // Idempotency-Key (issue 16, kernel/idempotency.ts): offline queues resend a write with the same key
  IDEMPOTENCY_KEY_INVALID: {
    status: 400,
    zh: '请求头“Idempotency-Key”须为 1–200 个可见 ASCII 字符',
    en: 'The Idempotency-Key header must be 1–200 visible ASCII characters',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    zh: '该幂等键已用于另一个不同的请求，请为修改后的请求使用新的键',
    en: 'This Idempotency-Key was used for a different request; send a changed request with a new key',
  },
  IDEMPOTENCY_IN_PROGRESS: {
    status: 409,
    zh: '同一请求正在处理中，请稍后重试',
    en: 'The same request is still being processed; please retry shortly',
  },
  // 5xx — never with details
  INTERNAL: { status: 500, zh: '服务器内部错误，请稍后再试', en: 'Internal server error; please try again later' },
  UNAVAILABLE: { status: 503, zh: '服务暂不可用：{reasonZh}', en: 'Service unavailable: {reasonEn}' },
} as const satisfies Record<string, { status: number; zh: string; en: string }>;

export type ProblemCode = keyof typeof CATALOGUE;
export type ProblemParams = Record<string, string | number | undefined>;

function fill(template: string, params: ProblemParams): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
}

export class Problem extends Error {
  readonly statusCode: number;
  readonly messageEn: string;
  constructor(
    readonly code: ProblemCode,
    readonly params: ProblemParams = {},
    readonly details?: unknown,
  ) {
    const entry = CATALOGUE[code];
    super(fill(entry.zh, params));
    this.statusCode = entry.status;
    this.messageEn = fill(entry.en, params);
  }
  get field(): string | undefined {
    return typeof this.params.field === 'string' ? this.params.field : undefined;
  }
  toJSON() {
    return {
      statusCode: this.statusCode,
      code: this.code,
      message: this.message,
      messageEn: this.messageEn,
      ...(this.field ? { field: this.field } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
    };
  }
}

/** Shorthand for the commonest problems. */
export const problems = {
  notFound: (targetZh: string, targetEn: string) => new Problem('NOT_FOUND', { targetZh, targetEn }),
  invalid: (field: string, reasonZh: string, reasonEn: string) =>
    new Problem('VALIDATION_FAILED', { field, reasonZh, reasonEn }),
  duplicate: (targetZh: string, targetEn: string, value: string, field?: string) =>
    new Problem('DUPLICATE', { targetZh, targetEn, value, field }),
  outOfJurisdiction: (targetZh: string, targetEn: string) => new Problem('OUT_OF_JURISDICTION', { targetZh, targetEn }),
};

/** JSON schema of a problem answer, for OpenAPI. */
export const ProblemSchema = {
  type: 'object',
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string' },
    message: { type: 'string', description: 'zh-CN' },
    messageEn: { type: 'string', description: 'en-US' },
    field: { type: 'string' },
    details: {},
  },
  required: ['statusCode', 'code', 'message', 'messageEn'],
} as const;
