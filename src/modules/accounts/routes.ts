import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ROLES, ROLE_CODES } from '../../kernel/auth/roles.js';
import { ctxOf, write } from '../../kernel/http.js';
import { DivisionCode, Nullable, Page, PageQuery, Phone, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import * as svc from './service.js';

const OrgKind = Type.Union(
  [Type.Literal('supervision'), Type.Literal('testing'), Type.Literal('enforcement'), Type.Literal('service'), Type.Literal('operator')],
  { description: 'supervision 监管 · testing 检测 · enforcement 执法 · service 第三方服务机构 · operator 平台运营' },
);
const Status = Type.Union([Type.Literal('active'), Type.Literal('disabled')]);

export const Organisation = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: Type.String(),
  divisionCode: Type.String(),
  divisionName: Type.String(),
  status: Type.String(),
  contactName: Nullable(Type.String()),
  contactPhone: Nullable(Type.String()),
  address: Nullable(Type.String()),
  userCount: Type.Integer(),
  createdAt: Type.String(),
});

export const User = Type.Object({
  id: Uuid,
  username: Type.String(),
  displayName: Type.String(),
  phone: Nullable(Type.String()),
  orgId: Uuid,
  orgName: Type.String(),
  orgKind: Type.String(),
  divisionCode: Type.String(),
  roles: Type.Array(Type.String()),
  status: Type.String(),
  mustChangePassword: Type.Boolean(),
  locked: Type.Boolean(),
  lastLoginAt: Nullable(Type.String()),
  createdAt: Type.String(),
});

const Username = Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_.-]{2,31}$', description: '3–32 letters, digits, _ . -; starts with a letter' });
const Roles = Type.Array(Type.String({ enum: ROLE_CODES }), { minItems: 1, maxItems: 8, uniqueItems: true });

export default async function accountRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const orgTags = ['organisations'];
  const userTags = ['users'];

  r.get('/roles', {
    schema: {
      operationId: 'listRoles', summary: '角色及其权限 Roles and their verbs', tags: userTags,
      response: { 200: Type.Array(Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String(), orgKinds: Type.Array(Type.String()), verbs: Type.Array(Type.String()) })), ...authErrors },
    },
  }, async () =>
    ROLE_CODES.map((code) => ({
      code, zh: ROLES[code].zh, en: ROLES[code].en, orgKinds: [...ROLES[code].orgKinds],
      verbs: Object.entries(app.verbTable).filter(([, d]) => code === 'platform_admin' || d.roles.includes(code)).map(([v]) => v),
    })));

  r.get('/organisations', {
    config: { verb: 'org.read' },
    schema: {
      operationId: 'listOrganisations', summary: '本辖区机构列表 Organisations in my jurisdiction', tags: orgTags,
      querystring: Type.Object({ within: Type.Optional(DivisionCode), kind: Type.Optional(OrgKind), status: Type.Optional(Status), q: Type.Optional(Type.String({ maxLength: 50 })), ...PageQuery }),
      response: { 200: Page(Organisation), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.listOrgs(ctxOf(req), req.query as never));

  r.post('/organisations', {
    config: { verb: 'org.create' },
    schema: {
      operationId: 'createOrganisation', summary: '创建机构 Create an organisation at my node or below', tags: orgTags,
      body: Type.Object({
        name: Type.String({ minLength: 2, maxLength: 100 }),
        kind: OrgKind,
        divisionCode: DivisionCode,
        contactName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
        contactPhone: Type.Optional(Nullable(Phone)),
        address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
      }, { additionalProperties: false }),
      response: { 201: Organisation, ...authErrors, ...errors(400, 409) },
    },
  }, async (req, reply) => {
    const org = await write(req, (ctx) => svc.createOrg(ctx, req.body as svc.OrgInput));
    return reply.status(201).send(org);
  });

  r.get('/organisations/:id', {
    config: { verb: 'org.read' },
    schema: { operationId: 'getOrganisation', summary: '机构详情 An organisation', tags: orgTags, params: Type.Object({ id: Uuid }), response: { 200: Organisation, ...authErrors, ...errors(400, 404) } },
  }, async (req) => svc.orgDto(await svc.getOrg(ctxOf(req), req.params.id)));

  r.patch('/organisations/:id', {
    config: { verb: 'org.update' },
    schema: {
      operationId: 'updateOrganisation', summary: '修改、停用或启用机构 Update, disable or enable an organisation', tags: orgTags,
      params: Type.Object({ id: Uuid }),
      body: Type.Object({
        name: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
        contactName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
        contactPhone: Type.Optional(Nullable(Phone)),
        address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
        status: Type.Optional(Status),
      }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: Organisation, ...authErrors, ...errors(400, 404, 409) },
    },
  }, async (req) => write(req, (ctx) => svc.updateOrg(ctx, req.params.id, req.body as never)));

  r.get('/users', {
    config: { verb: 'user.read' },
    schema: {
      operationId: 'listUsers', summary: '本辖区账号列表 Accounts in my jurisdiction', tags: userTags,
      querystring: Type.Object({ orgId: Type.Optional(Uuid), within: Type.Optional(DivisionCode), status: Type.Optional(Status), q: Type.Optional(Type.String({ maxLength: 50 })), ...PageQuery }),
      response: { 200: Page(User), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.listUsers(ctxOf(req), req.query as never));

  r.post('/users', {
    config: { verb: 'user.create' },
    schema: {
      operationId: 'createUser', summary: '创建账号（首次登录须改密）Create an account (password change forced on first login)', tags: userTags,
      body: Type.Object({
        username: Username,
        displayName: Type.String({ minLength: 1, maxLength: 50 }),
        phone: Type.Optional(Nullable(Phone)),
        orgId: Uuid,
        roles: Roles,
        password: Type.Optional(Type.String({ minLength: 8, maxLength: 128, description: 'omit to generate one, returned once' })),
      }, { additionalProperties: false }),
      response: { 201: Type.Object({ user: User, initialPassword: Type.Optional(Type.String()) }), ...authErrors, ...errors(400, 409) },
    },
  }, async (req, reply) => {
    const out = await write(req, (ctx) => svc.createUser(ctx, req.body as svc.UserInput, app.verbTable));
    return reply.status(201).send(out);
  });

  r.get('/users/:id', {
    config: { verb: 'user.read' },
    schema: { operationId: 'getUser', summary: '账号详情 An account', tags: userTags, params: Type.Object({ id: Uuid }), response: { 200: User, ...authErrors, ...errors(400, 404) } },
  }, async (req) => svc.userDto(await svc.getUser(ctxOf(req), req.params.id)));

  r.patch('/users/:id', {
    config: { verb: 'user.update' },
    schema: {
      operationId: 'updateUser', summary: '修改、停用或启用账号 Update, disable or enable an account', tags: userTags,
      params: Type.Object({ id: Uuid }),
      body: Type.Object({
        displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
        phone: Type.Optional(Nullable(Phone)),
        roles: Type.Optional(Roles),
        status: Type.Optional(Status),
      }, { additionalProperties: false, minProperties: 1 }),
      response: { 200: User, ...authErrors, ...errors(400, 404) },
    },
  }, async (req) => write(req, (ctx) => svc.updateUser(ctx, req.params.id, req.body as never, app.verbTable)));

  r.post('/users/:id/reset-password', {
    config: { verb: 'user.resetPassword' },
    schema: {
      operationId: 'resetUserPassword', summary: '重置密码（返回一次性临时密码）Reset a password (temporary password returned once)', tags: userTags,
      params: Type.Object({ id: Uuid }),
      response: { 200: Type.Object({ temporaryPassword: Type.String() }), ...authErrors, ...errors(400, 404) },
    },
  }, async (req) => write(req, (ctx) => svc.resetPassword(ctx, req.params.id)));
}
