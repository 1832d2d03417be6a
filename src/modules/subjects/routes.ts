import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, publicWrite, write } from '../../kernel/http.js';
import { Problem } from '../../kernel/problems.js';
import { DivisionCode, Nullable, Page, PageQuery, Phone, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import * as card from './card.js';
import * as imp from './import.js';
import * as repo from './repo.js';
import * as svc from './service.js';
import * as staff from './staff.js';
import { ACTION_LABELS, STATUS_LABELS, TRANSITIONS } from './states.js';

const lit = (keys: readonly string[], description?: string) => Type.String({ enum: [...keys], ...(description ? { description } : {}) });
export const OrgForm = lit(Object.keys(svc.ORG_FORMS), 'enterprise 企业 · cooperative 合作社 · family_farm 家庭农场 · individual 农户');
export const SubjectTypeS = lit(Object.keys(svc.SUBJECT_TYPES), 'production 生产 · operation 经营 · both 生产经营');
export const IndustryS = lit(Object.keys(svc.INDUSTRIES), 'planting 种植业 · livestock 畜牧业 · fishery 渔业');
const CertTypeS = lit(Object.keys(svc.CERT_TYPES), 'credit_code 统一社会信用代码 · id_card 居民身份证');
const CertificationS = lit(Object.keys(svc.CERTIFICATIONS), 'green 绿色食品 · organic 有机 · gi 地理标志 · gap 良好农业规范');
export const StatusS = lit(Object.keys(STATUS_LABELS));
const Action = lit(Object.keys(ACTION_LABELS));
const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });

const FileRef = Type.Object({ fileId: Uuid, kind: lit(['licence', 'id_front', 'id_back', 'other'], 'licence 营业执照 · id_front/id_back 身份证正反面 · other') }, { additionalProperties: false });
const fieldsSchema = {
  orgForm: OrgForm,
  subjectType: SubjectTypeS,
  isSlaughterhouse: Type.Optional(Type.Boolean({ description: '屠宰厂（场）' })),
  industries: Type.Array(IndustryS, { minItems: 1, maxItems: 3, uniqueItems: true }),
  name: Text(100, 2),
  certType: CertTypeS,
  certNo: Type.String({ minLength: 15, maxLength: 24, description: '18-character credit code or 18-digit ID number (check character verified)' }),
  legalPersonName: Text(50),
  legalPersonIdNo: Type.Optional(Nullable(Type.String({ maxLength: 24 }))),
  legalPersonPhone: Type.Optional(Nullable(Phone)),
  contactName: Text(50),
  contactPhone: Phone,
  contactEmail: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 100 }))),
  address: Text(200, 2),
  divisionCode: DivisionCode,
  longitude: Type.Optional(Nullable(Type.Number({ minimum: 73, maximum: 136 }))),
  latitude: Type.Optional(Nullable(Type.Number({ minimum: 3, maximum: 54 }))),
  certifications: Type.Optional(Type.Array(CertificationS, { maxItems: 4, uniqueItems: true })),
  files: Type.Optional(Type.Array(FileRef, { maxItems: 10 })),
};
const Username = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9_.@-]{2,31}$', description: '3–32 letters/digits (a mobile number works)' });

const Application = Type.Object({
  id: Uuid, subjectId: Uuid, kind: Type.String(), status: Type.String(), data: Type.Record(Type.String(), Type.Unknown()), reason: Nullable(Type.String()),
  submittedAt: Type.String(), dueDate: Type.String(), overdue: Type.Boolean(), decidedAt: Nullable(Type.String()), decidedByName: Nullable(Type.String()),
  decisionNote: Nullable(Type.String()), reasons: Type.Array(Type.Object({ field: Type.Optional(Type.String()), reason: Type.String() })),
});
export const Subject = Type.Object({
  id: Uuid, orgId: Uuid, name: Type.String(), orgForm: Type.String(), subjectType: Type.String(), isSlaughterhouse: Type.Boolean(), industries: Type.Array(Type.String()),
  certType: Type.String(), certNo: Type.String({ description: 'ID numbers are masked unless the caller is the producer or its county reviewer' }),
  legalPersonName: Type.String(), legalPersonIdNo: Nullable(Type.String()), legalPersonPhone: Nullable(Type.String()), contactName: Type.String(), contactPhone: Type.String(),
  contactEmail: Nullable(Type.String()), address: Type.String(), divisionCode: Type.String(), divisionName: Type.String(), longitude: Nullable(Type.Number()), latitude: Nullable(Type.Number()),
  certifications: Type.Array(Type.String()), status: StatusS, statusZh: Type.String(), identityCode: Nullable(Type.String()), approvedAt: Nullable(Type.String()),
  source: Type.String(), createdAt: Type.String(), updatedAt: Type.String(), version: Type.Integer(),
  allowedActions: Type.Array(Action, { description: 'what the caller may do next (from the state table)' }),
});
export const SubjectDetail = Type.Intersect([
  Subject,
  Type.Object({
    divisionFullName: Type.String(),
    hasAccount: Type.Boolean({ description: 'the producer has a main login account' }),
    files: Type.Array(Type.Object({ id: Uuid, name: Type.String(), mime: Type.String(), size: Type.Integer(), kind: Type.String(), url: Type.String() })),
    applications: Type.Array(Application),
  }),
]);
const QueueItem = Type.Object({
  id: Uuid, subjectId: Uuid, subjectName: Type.String(), orgForm: Type.String(), subjectStatus: Type.String(), kind: Type.String(), status: Type.String(), reason: Nullable(Type.String()),
  divisionCode: Type.String(), divisionName: Type.String(), submittedAt: Type.String(), dueDate: Type.String({ description: '5 Chinese working days after submission' }),
  overdue: Type.Boolean(), overdueWorkingDays: Type.Integer(), workingDaysLeft: Type.Integer(), decidedAt: Nullable(Type.String()), decidedByName: Nullable(Type.String()),
  allowedActions: Type.Array(Action),
});
const searchProps = {
  q: Type.Optional(Type.String({ maxLength: 50, description: 'name contains' })),
  code: Type.Optional(Type.String({ maxLength: 30, description: 'identity code or certificate number' })),
  orgForm: Type.Optional(OrgForm), subjectType: Type.Optional(SubjectTypeS), industry: Type.Optional(IndustryS), within: Type.Optional(DivisionCode),
  status: Type.Optional(StatusS), certification: Type.Optional(CertificationS), source: Type.Optional(lit(['self', 'import', 'agency'])),
};
const SearchQuery = Type.Object(searchProps);
const Staff = Type.Object({
  id: Uuid, username: Type.String(), displayName: Type.String(), phone: Nullable(Type.String()), roles: Type.Array(Type.String()), status: Type.String(),
  userCode: Nullable(Type.String()), main: Type.Boolean(), lastLoginAt: Nullable(Type.String()), createdAt: Type.String(),
});
const IdParam = Type.Object({ id: Uuid });
const Note = Type.Optional(Nullable(Type.String({ maxLength: 500 })));

export default async function subjectRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['subjects'];
  const reviewTags = ['subject review'];
  const myTags = ['my subject'];
  const importTags = ['subject import'];

  r.get('/subjects/meta', {
    config: { public: true },
    schema: {
      operationId: 'getSubjectMeta', summary: '主体注册字段选项与状态表 Registration options and the state table', tags,
      response: { 200: Type.Object({ orgForms: Type.Any(), subjectTypes: Type.Any(), industries: Type.Any(), certifications: Type.Any(), certTypes: Type.Any(), statuses: Type.Any(), actions: Type.Any(), transitions: Type.Any(), reviewWorkingDays: Type.Integer() }) },
    },
  }, async () => ({
    orgForms: svc.ORG_FORMS, subjectTypes: svc.SUBJECT_TYPES, industries: svc.INDUSTRIES, certifications: svc.CERTIFICATIONS, certTypes: svc.CERT_TYPES,
    statuses: STATUS_LABELS, actions: ACTION_LABELS, transitions: TRANSITIONS, reviewWorkingDays: svc.REVIEW_WORKING_DAYS,
  }));

  r.post('/subjects/registrations', {
    config: { public: true, rateLimit: { max: 100, timeWindow: '1 minute' } },
    schema: {
      operationId: 'registerSubject', summary: '生产经营主体自主注册 Producer self-registration (creates the account and the application)', tags,
      body: Type.Object({ ...fieldsSchema, username: Username, password: Type.String({ minLength: 8, maxLength: 128 }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ subjectId: Uuid, applicationId: Uuid, username: Type.String(), status: Type.String(), dueDate: Type.String() }), ...errors(400, 409, 429) },
    },
  }, async (req, reply) => reply.status(201).send(await publicWrite(req, (ctx) => svc.register(ctx, req.body as svc.RegisterInput))));

  r.get('/subjects', {
    config: { verb: 'subject.read' },
    schema: { operationId: 'searchSubjects', summary: '辖区内主体查询 Search producers in my jurisdiction', tags, querystring: Type.Object({ ...searchProps, ...PageQuery }), response: { 200: Page(Subject), ...authErrors, ...errors(400) } },
  }, async (req) => svc.search(ctxOf(req), req.query as never));

  r.get('/subjects/export.xlsx', {
    config: { verb: 'subject.read' },
    schema: { operationId: 'exportSubjects', summary: '导出主体（Excel） Export producers to Excel (≤ 50,000 rows)', tags, querystring: SearchQuery, produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], response: { 200: Type.Any(), ...authErrors, ...errors(400) } },
  }, async (req, reply) => {
    const ctx = ctxOf(req);
    const rows = await repo.exportRows(ctx.db, { ...(req.query as object), scope: ctx.actor.scope }, 50_000);
    const buf = await card.exportWorkbook(ctx, rows);
    return reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('生产经营主体.xlsx')}`)
      .send(buf);
  });

  r.get('/subjects/import-template.xlsx', {
    config: { verb: 'subject.import' },
    schema: { operationId: 'getSubjectImportTemplate', summary: '历史数据导入模板（带下拉选项） Import template with dropdowns', tags: importTags, produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], response: { 200: Type.Any(), ...authErrors } },
  }, async (_req, reply) =>
    reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('生产经营主体导入模板.xlsx')}`)
      .send(await imp.templateWorkbook()));

  r.post('/subjects/imports', {
    config: { verb: 'subject.import' },
    schema: {
      operationId: 'importSubjects', summary: '导入历史注册主体（后台任务，去重合并） Import historic registrations (background job with progress)', tags: importTags,
      body: Type.Object({ fileId: Uuid }, { additionalProperties: false }),
      response: { 202: Type.Object({ jobId: Uuid, statusUrl: Type.String() }), ...authErrors, ...errors(400, 415) },
    },
  }, async (req, reply) => reply.status(202).send(await write(req, (ctx) => svc.startImport(ctx, req.body.fileId))));

  r.get('/subjects/by-identity-code/:code', {
    config: { verb: 'subject.read' },
    schema: {
      operationId: 'getSubjectByIdentityCode', summary: '扫码/输码查看主体档案 Open a producer by its identity code (within jurisdiction; logged)', tags,
      params: Type.Object({ code: Type.String({ minLength: 1, maxLength: 40 }) }),
      response: { 200: SubjectDetail, ...authErrors, ...errors(400, 404) },
    },
  }, async (req) => write(req, (ctx) => svc.getByIdentityCode(ctx, req.params.code)));

  r.get('/subjects/:id', {
    config: { verb: 'subject.read' },
    schema: { operationId: 'getSubject', summary: '主体档案 Producer profile with its application history', tags, params: IdParam, response: { 200: SubjectDetail, ...authErrors, ...errors(404) } },
  }, async (req) => svc.get(ctxOf(req), req.params.id));

  r.get('/subjects/:id/identity-card.pdf', {
    config: { verb: 'subject.read' },
    schema: { operationId: 'getSubjectIdentityCard', summary: '主体身份卡（PDF） Identity card PDF', tags, params: IdParam, produces: ['application/pdf'], response: { 200: Type.Any(), ...authErrors, ...errors(404, 409) } },
  }, async (req, reply) => {
    const ctx = ctxOf(req);
    await svc.get(ctx, req.params.id); // jurisdiction
    const s = (await repo.byId(ctx.db, req.params.id)) as repo.SubjectRow;
    return reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="identity-${s.identity_code ?? s.id}.pdf"`).send(await card.identityCardPdf(ctx, s));
  });

  r.post('/subjects/:id/account', {
    config: { verb: 'subject.review' },
    schema: {
      operationId: 'openSubjectAccount', summary: '为已通过但无账号的主体（如历史导入）开通主账号 Open the main account of an imported producer', tags: reviewTags, params: IdParam,
      body: Type.Object({ username: Username, password: Type.String({ minLength: 8, maxLength: 128 }), displayName: Type.Optional(Text(50)) }, { additionalProperties: false }),
      response: { 201: Type.Object({ accountId: Uuid, username: Type.String(), mustChangePassword: Type.Boolean() }), ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.openAccount(ctx, req.params.id, req.body))));

  r.post('/subjects/:id/revocation', {
    config: { verb: 'subject.revoke' },
    schema: { operationId: 'requestSubjectRevocation', summary: '提请撤销主体 Propose revoking a producer (reviewed by another county officer)', tags: reviewTags, params: IdParam, body: Type.Object({ reason: Text(500, 2) }, { additionalProperties: false }), response: { 200: SubjectDetail, ...authErrors, ...errors(400, 404, 409) } },
  }, async (req) => write(req, (ctx) => svc.requestRevoke(ctx, req.params.id, req.body.reason)));

  // ── review queue ──
  r.get('/subject-applications', {
    config: { verb: 'subject.review' },
    schema: {
      operationId: 'listSubjectApplications', summary: '主体审核队列（5 个工作日时限，超期标红） Review queue with working-day deadlines', tags: reviewTags,
      querystring: Type.Object({ within: Type.Optional(DivisionCode), kind: Type.Optional(lit(['register', 'change', 'cancel', 'revoke'])), status: Type.Optional(lit(['pending', 'approved', 'rejected'])), overdue: Type.Optional(Type.Boolean()), ...PageQuery }),
      response: { 200: Page(QueueItem), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.reviewQueue(ctxOf(req), req.query));

  r.post('/subject-applications/:id/approve', {
    config: { verb: 'subject.review' },
    schema: { operationId: 'approveSubjectApplication', summary: '审核通过 Approve an application (registration issues the identity code)', tags: reviewTags, params: IdParam, body: Type.Object({ note: Note }, { additionalProperties: false }), response: { 200: SubjectDetail, ...authErrors, ...errors(400, 404, 409) } },
  }, async (req) => write(req, (ctx) => svc.approve(ctx, req.params.id, req.body?.note ?? null)));

  r.post('/subject-applications/:id/reject', {
    config: { verb: 'subject.review' },
    schema: {
      operationId: 'rejectSubjectApplication', summary: '驳回（须写明原因） Reject with reasons', tags: reviewTags, params: IdParam,
      body: Type.Object({ reasons: Type.Array(Type.Object({ field: Type.Optional(Type.String({ maxLength: 40 })), reason: Text(300) }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }), note: Note }, { additionalProperties: false }),
      response: { 200: SubjectDetail, ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req) => write(req, (ctx) => svc.reject(ctx, req.params.id, req.body.reasons, req.body.note ?? null)));

  // ── the producer's own subject ──
  r.get('/my-subject', {
    config: { verb: 'mySubject.read' },
    schema: { operationId: 'getMySubject', summary: '本主体信息、审核进度与可执行操作 My producer record, review progress and next actions', tags: myTags, response: { 200: SubjectDetail, ...authErrors, ...errors(404) } },
  }, async (req) => svc.mine(ctxOf(req)));

  r.get('/my-subject/identity-qr.svg', {
    config: { verb: 'mySubject.read' },
    schema: { operationId: 'getMyIdentityQr', summary: '本主体身份码二维码（SVG） My identity code QR', tags: myTags, produces: ['image/svg+xml'], response: { 200: Type.Any(), ...authErrors, ...errors(404, 409) } },
  }, async (req, reply) => {
    const ctx = ctxOf(req);
    const s = await repo.byOrg(ctx.db, ctx.actor.orgId);
    if (!s) throw new Problem('NOT_FOUND', { targetZh: '主体', targetEn: 'Subject' });
    return reply.header('content-type', 'image/svg+xml').header('cache-control', 'private, max-age=300').send(await card.identityQrSvg(ctx, s));
  });

  r.get('/my-subject/identity-card.pdf', {
    config: { verb: 'mySubject.read' },
    schema: { operationId: 'getMyIdentityCard', summary: '打印本主体身份卡（PDF） My identity card PDF', tags: myTags, produces: ['application/pdf'], response: { 200: Type.Any(), ...authErrors, ...errors(404, 409) } },
  }, async (req, reply) => {
    const ctx = ctxOf(req);
    const s = await repo.byOrg(ctx.db, ctx.actor.orgId);
    if (!s) throw new Problem('NOT_FOUND', { targetZh: '主体', targetEn: 'Subject' });
    return reply.header('content-type', 'application/pdf').header('content-disposition', `inline; filename="identity-${s.identity_code ?? s.id}.pdf"`).send(await card.identityCardPdf(ctx, s));
  });

  r.put('/my-subject/application', {
    config: { verb: 'mySubject.resubmit' },
    schema: { operationId: 'resubmitSubjectApplication', summary: '修改被驳回的注册申请并重新提交 Correct a rejected registration and resubmit', tags: myTags, body: Type.Object({ ...fieldsSchema, expectedVersion: Type.Optional(Type.Integer()) }, { additionalProperties: false }), response: { 200: SubjectDetail, ...authErrors, ...errors(400, 409) } },
  }, async (req) => write(req, (ctx) => svc.resubmit(ctx, req.body as never)));

  const { orgForm: _o, certType: _c, certNo: _n, legalPersonIdNo: _l, files: _f, ...changeable } = fieldsSchema;
  r.post('/my-subject/changes', {
    config: { verb: 'mySubject.change' },
    schema: {
      operationId: 'requestSubjectChange', summary: '申请变更（重新审核） Request a change (re-reviewed)', tags: myTags,
      body: Type.Object({ changes: Type.Partial(Type.Object(changeable), { additionalProperties: false }), reason: Text(500, 2), files: Type.Optional(Type.Array(FileRef, { maxItems: 10 })) }, { additionalProperties: false }),
      response: { 200: SubjectDetail, ...authErrors, ...errors(400, 409) },
    },
  }, async (req) => write(req, (ctx) => svc.requestChange(ctx, req.body as never)));

  r.post('/my-subject/cancellation', {
    config: { verb: 'mySubject.change' },
    schema: { operationId: 'requestSubjectCancellation', summary: '申请注销 Request cancellation', tags: myTags, body: Type.Object({ reason: Text(500, 2) }, { additionalProperties: false }), response: { 200: SubjectDetail, ...authErrors, ...errors(400, 409) } },
  }, async (req) => write(req, (ctx) => svc.requestCancel(ctx, req.body.reason)));

  r.get('/my-subject/staff', {
    config: { verb: 'mySubject.staff' },
    schema: { operationId: 'listSubjectStaff', summary: '子账号列表 Sub-accounts', tags: myTags, response: { 200: Type.Array(Staff), ...authErrors } },
  }, async (req) => staff.list(ctxOf(req)));

  r.post('/my-subject/staff', {
    config: { verb: 'mySubject.staff' },
    schema: {
      operationId: 'createSubjectStaff', summary: '新建子账号（分配用户码） Create a sub-account with its user code', tags: myTags,
      body: Type.Object({ username: Username, displayName: Text(50), phone: Type.Optional(Nullable(Phone)), password: Type.String({ minLength: 8, maxLength: 128 }) }, { additionalProperties: false }),
      response: { 201: Staff, ...authErrors, ...errors(400, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => staff.create(ctx, req.body))));

  r.patch('/my-subject/staff/:id', {
    config: { verb: 'mySubject.staff' },
    schema: {
      operationId: 'updateSubjectStaff', summary: '修改/停用子账号、重置密码 Update, disable or reset a sub-account', tags: myTags, params: IdParam,
      body: Type.Object({ displayName: Type.Optional(Text(50)), phone: Type.Optional(Nullable(Phone)), status: Type.Optional(lit(['active', 'disabled'])), password: Type.Optional(Type.String({ minLength: 8, maxLength: 128 })) }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: Staff, ...authErrors, ...errors(400, 404) },
    },
  }, async (req, reply) => reply.send(await write(req, (ctx) => staff.update(ctx, req.params.id, req.body as never))));
}
