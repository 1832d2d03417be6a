import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { MIME, sendFile } from '../../kernel/download.js';
import { ctxOf, publicCtxOf, publicWrite, readCtxOf, write } from '../../kernel/http.js';
import { importRoutes } from '../../kernel/import-routes.js';
import { FileResponse, Page, PageQuery, authErrors, errors } from '../../kernel/schemas.js';
import * as imp from './import.js';
import { templateWorkbook } from './import-sheets.js';
import {
  AccountOpened,
  ApproveBody,
  ChangeBody,
  CodeParam,
  IdParam,
  Meta,
  OpenAccountBody,
  QueueItem,
  QueueQuery,
  ReasonBody,
  RegisterBody,
  Registered,
  RegistryCheckAnswer,
  RegistryCheckInput,
  RegistryDuplicate,
  RejectBody,
  ResubmitBody,
  SearchFilter,
  SearchQuery,
  Staff,
  StaffCreateBody,
  StaffUpdateBody,
  Subject,
  SubjectDetail,
} from './schemas.js';
import * as registry from './registry.js';
import * as svc from './service.js';
import { reviewRoutes } from './routes-review.js';

export default async function subjectRoutes(app: FastifyInstance) {
  await reviewRoutes(app);
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['subjects'];
  const reviewTags = ['subject review'];
  const myTags = ['my subject'];
  const importTags = ['subject import'];

  r.get(
    '/subjects/meta',
    {
      config: { public: true },
      schema: {
        operationId: 'getSubjectMeta',
        summary: '主体注册字段选项与状态表 Registration options and the state table',
        tags,
        response: { 200: Meta },
      },
    },
    async () => svc.meta(),
  );

  r.post(
    '/subjects/registrations',
    {
      config: { public: true, rateLimit: { max: 100, timeWindow: '1 minute' } },
      schema: {
        operationId: 'registerSubject',
        summary: '生产经营主体自主注册 Producer self-registration (creates the account and the application)',
        tags,
        body: RegisterBody,
        response: { 201: Registered, ...errors(400, 409, 429) },
      },
    },
    async (req, reply) => reply.status(201).send(await publicWrite(req, (ctx) => svc.register(ctx, req.body))),
  );

  // ── the national registry (registry.ts; docs/subjects.md "One registry") ──
  r.post(
    '/subjects/registry/check',
    {
      config: { public: true },
      schema: {
        operationId: 'checkSubjectRegistry',
        summary:
          '全国主体查重（下级平台以 SM2 签名询问，只传键控摘要）A lower platform asks the national registry by keyed hashes (signed)',
        tags,
        body: RegistryCheckInput,
        response: { 200: RegistryCheckAnswer, ...errors(400, 401, 403) },
      },
    },
    async (req) => registry.answerCheck(publicCtxOf(req), req.body),
  );

  r.get(
    '/subjects/registry/duplicates',
    {
      config: { verb: 'subject.review' },
      schema: {
        operationId: 'listRegistryDuplicates',
        summary:
          '跨平台疑似重复注册（待合并）Producers registered on more than one platform (to merge), in my jurisdiction',
        tags: reviewTags,
        response: { 200: Type.Array(RegistryDuplicate), ...authErrors },
      },
    },
    async (req) => registry.registryDuplicates(ctxOf(req)),
  );

  r.get(
    '/subjects',
    {
      config: { verb: 'subject.read' },
      schema: {
        operationId: 'searchSubjects',
        summary: '辖区内主体查询 Search producers in my jurisdiction',
        tags,
        querystring: SearchQuery,
        response: { 200: Page(Subject), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.search(ctxOf(req), req.query),
  );

  r.get(
    '/subjects/export.xlsx',
    {
      config: { verb: 'subject.read' },
      schema: {
        operationId: 'exportSubjects',
        summary: '导出主体（Excel） Export producers to Excel (≤ 50,000 rows)',
        tags,
        querystring: SearchFilter,
        response: { 200: FileResponse(MIME.xlsx, '生产经营主体 Excel workbook'), ...authErrors, ...errors(400) },
      },
    },
    async (req, reply) => {
      const { filename, body } = await svc.exportWorkbook(readCtxOf(req), req.query);
      return sendFile(reply, body, { filename, type: MIME.xlsx });
    },
  );

  await importRoutes(app, {
    def: imp.subjectsImport,
    base: '/subjects',
    tags: importTags,
    ids: {
      upload: 'importSubjects',
      template: 'getSubjectImportTemplate',
      report: 'getSubjectImportReport',
      errors: 'getSubjectImportErrors',
    },
    template: { fileName: '生产经营主体导入模板.xlsx', build: () => templateWorkbook() },
    report: imp.SubjectsReport,
    description:
      'Rows are validated with the rules of self-registration; duplicates of live producers are merged (existing values win, empty fields are filled) and listed in a merge report (`mergeReportFileId`); new producers are created approved with identity codes.',
  });

  r.get(
    '/subjects/by-identity-code/:code',
    {
      config: { verb: 'subject.read' },
      schema: {
        operationId: 'getSubjectByIdentityCode',
        summary: '扫码/输码查看主体档案 Open a producer by its identity code (within jurisdiction; logged)',
        tags,
        params: CodeParam,
        response: { 200: SubjectDetail, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => write(req, (ctx) => svc.getByIdentityCode(ctx, req.params.code)),
  );

  r.get(
    '/subjects/:id',
    {
      config: { verb: 'subject.read' },
      schema: {
        operationId: 'getSubject',
        summary: '主体档案 Producer profile with its application history',
        tags,
        params: IdParam,
        response: { 200: SubjectDetail, ...authErrors, ...errors(404) },
      },
    },
    async (req) => svc.get(ctxOf(req), req.params.id),
  );

  r.get(
    '/subjects/:id/identity-card.pdf',
    {
      config: { verb: 'subject.read' },
      schema: {
        operationId: 'getSubjectIdentityCard',
        summary: '主体身份卡（PDF） Identity card PDF',
        tags,
        params: IdParam,
        response: { 200: FileResponse(MIME.pdf, '主体身份卡 identity card'), ...authErrors, ...errors(404, 409) },
      },
    },
    async (req, reply) => {
      const { filename, body } = await svc.identityCard(ctxOf(req), req.params.id);
      return sendFile(reply, body, { filename, type: MIME.pdf, inline: true });
    },
  );

  r.post(
    '/subjects/:id/account',
    {
      config: { verb: 'subject.review' },
      schema: {
        operationId: 'openSubjectAccount',
        summary: '为已通过但无账号的主体（如历史导入）开通主账号 Open the main account of an imported producer',
        tags: reviewTags,
        params: IdParam,
        body: OpenAccountBody,
        response: { 201: AccountOpened, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await write(req, (ctx) => svc.openAccount(ctx, req.params.id, req.body))),
  );

  r.post(
    '/subjects/:id/revocation',
    {
      config: { verb: 'subject.revoke' },
      schema: {
        operationId: 'requestSubjectRevocation',
        summary: '提请撤销主体 Propose revoking a producer (reviewed by another county officer)',
        tags: reviewTags,
        params: IdParam,
        body: ReasonBody,
        response: { 200: SubjectDetail, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.requestRevoke(ctx, req.params.id, req.body.reason)),
  );

  // ── review queue ──
  r.get(
    '/subject-applications',
    {
      config: { verb: 'subject.review' },
      schema: {
        operationId: 'listSubjectApplications',
        summary: '主体审核队列（5 个工作日时限，超期标红） Review queue with working-day deadlines',
        tags: reviewTags,
        querystring: QueueQuery,
        response: { 200: Page(QueueItem), ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.reviewQueue(ctxOf(req), req.query),
  );

  r.post(
    '/subject-applications/:id/approve',
    {
      config: { verb: 'subject.review' },
      schema: {
        operationId: 'approveSubjectApplication',
        summary: '审核通过 Approve an application (registration issues the identity code)',
        tags: reviewTags,
        params: IdParam,
        body: ApproveBody,
        response: { 200: SubjectDetail, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.approve(ctx, req.params.id, req.body?.note ?? null)),
  );

  r.post(
    '/subject-applications/:id/reject',
    {
      config: { verb: 'subject.review' },
      schema: {
        operationId: 'rejectSubjectApplication',
        summary: '驳回（须写明原因） Reject with reasons',
        tags: reviewTags,
        params: IdParam,
        body: RejectBody,
        response: { 200: SubjectDetail, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.reject(ctx, req.params.id, req.body.reasons, req.body.note ?? null)),
  );

  // ── the producer's own subject ──
  r.get(
    '/my-subject',
    {
      config: { verb: 'mySubject.read' },
      schema: {
        operationId: 'getMySubject',
        summary: '本主体信息、审核进度与可执行操作 My producer record, review progress and next actions',
        tags: myTags,
        response: { 200: SubjectDetail, ...authErrors, ...errors(404) },
      },
    },
    async (req) => svc.mine(ctxOf(req)),
  );

  r.get(
    '/my-subject/identity-qr.svg',
    {
      config: { verb: 'mySubject.read' },
      schema: {
        operationId: 'getMyIdentityQr',
        summary: '本主体身份码二维码（SVG） My identity code QR',
        tags: myTags,
        response: { 200: FileResponse(MIME.svg, '身份码二维码 identity code QR'), ...authErrors, ...errors(404, 409) },
      },
    },
    async (req, reply) =>
      reply
        .type(MIME.svg)
        .header('cache-control', 'private, max-age=300')
        .send(await svc.myIdentityQr(ctxOf(req))),
  );

  r.get(
    '/my-subject/identity-card.pdf',
    {
      config: { verb: 'mySubject.read' },
      schema: {
        operationId: 'getMyIdentityCard',
        summary: '打印本主体身份卡（PDF） My identity card PDF',
        tags: myTags,
        response: { 200: FileResponse(MIME.pdf, '主体身份卡 identity card'), ...authErrors, ...errors(404, 409) },
      },
    },
    async (req, reply) => {
      const { filename, body } = await svc.myIdentityCard(ctxOf(req));
      return sendFile(reply, body, { filename, type: MIME.pdf, inline: true });
    },
  );

  r.put(
    '/my-subject/application',
    {
      config: { verb: 'mySubject.resubmit' },
      schema: {
        operationId: 'resubmitSubjectApplication',
        summary: '修改被驳回的注册申请并重新提交 Correct a rejected registration and resubmit',
        tags: myTags,
        body: ResubmitBody,
        response: { 200: SubjectDetail, ...authErrors, ...errors(400, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.resubmit(ctx, req.body)),
  );

  r.post(
    '/my-subject/changes',
    {
      config: { verb: 'mySubject.change' },
      schema: {
        operationId: 'requestSubjectChange',
        summary: '申请变更（重新审核） Request a change (re-reviewed)',
        tags: myTags,
        body: ChangeBody,
        response: { 200: SubjectDetail, ...authErrors, ...errors(400, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.requestChange(ctx, req.body)),
  );

  r.post(
    '/my-subject/cancellation',
    {
      config: { verb: 'mySubject.change' },
      schema: {
        operationId: 'requestSubjectCancellation',
        summary: '申请注销 Request cancellation',
        tags: myTags,
        body: ReasonBody,
        response: { 200: SubjectDetail, ...authErrors, ...errors(400, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.requestCancel(ctx, req.body.reason)),
  );

  r.get(
    '/my-subject/staff',
    {
      config: { verb: 'mySubject.staff' },
      schema: {
        operationId: 'listSubjectStaff',
        summary: '子账号列表 Sub-accounts (the main account included)',
        tags: myTags,
        querystring: Type.Object({ ...PageQuery }),
        response: { 200: Page(Staff), ...authErrors },
      },
    },
    async (req) => svc.listStaff(ctxOf(req), req.query),
  );

  r.post(
    '/my-subject/staff',
    {
      config: { verb: 'mySubject.staff' },
      schema: {
        operationId: 'createSubjectStaff',
        summary: '新建子账号（分配用户码） Create a sub-account with its user code',
        tags: myTags,
        body: StaffCreateBody,
        response: { 201: Staff, ...authErrors, ...errors(400, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createStaff(ctx, req.body))),
  );

  r.patch(
    '/my-subject/staff/:id',
    {
      config: { verb: 'mySubject.staff' },
      schema: {
        operationId: 'updateSubjectStaff',
        summary: '修改/停用子账号、重置密码 Update, disable or reset a sub-account',
        tags: myTags,
        params: IdParam,
        body: StaffUpdateBody,
        response: { 200: Staff, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => write(req, (ctx) => svc.updateStaff(ctx, req.params.id, req.body)),
  );
}
