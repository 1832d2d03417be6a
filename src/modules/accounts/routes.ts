import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ctxOf, write } from '../../kernel/http.js';
import { authErrors, errors } from '../../kernel/schemas.js';
import {
  CreatedUser,
  IdParams,
  OrgInput,
  OrgPage,
  OrgPatch,
  OrgQuery,
  Organisation,
  RolePage,
  VerbList,
  RoleQuery,
  TemporaryPassword,
  User,
  UserInput,
  UserPage,
  UserPatch,
  UserQuery,
} from './schemas.js';
import * as svc from './service.js';

export default async function accountRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const orgTags = ['organisations'];
  const userTags = ['users'];

  r.get(
    '/roles',
    {
      schema: {
        operationId: 'listRoles',
        summary: '角色及其权限 Roles and their verbs',
        tags: userTags,
        querystring: RoleQuery,
        response: { 200: RolePage, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listRoles(ctxOf(req), app.verbTable, req.query),
  );

  r.get(
    '/verbs',
    {
      schema: {
        operationId: 'listVerbs',
        summary: '我的权限（含名称）My verbs, with their names',
        tags: userTags,
        response: { 200: VerbList, ...authErrors },
      },
    },
    async (req) => svc.listVerbs(ctxOf(req), app.verbTable),
  );

  r.get(
    '/organisations',
    {
      config: { verb: 'org.read' },
      schema: {
        operationId: 'listOrganisations',
        summary: '本辖区机构列表 Organisations in my jurisdiction',
        tags: orgTags,
        querystring: OrgQuery,
        response: { 200: OrgPage, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listOrgs(ctxOf(req), req.query),
  );

  r.post(
    '/organisations',
    {
      config: { verb: 'org.create' },
      schema: {
        operationId: 'createOrganisation',
        summary: '创建机构 Create an organisation at my node or below',
        tags: orgTags,
        body: OrgInput,
        response: { 201: Organisation, ...authErrors, ...errors(400, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.createOrg(ctx, req.body))),
  );

  r.get(
    '/organisations/:id',
    {
      config: { verb: 'org.read' },
      schema: {
        operationId: 'getOrganisation',
        summary: '机构详情 An organisation',
        tags: orgTags,
        params: IdParams,
        response: { 200: Organisation, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.getOrgDto(ctxOf(req), req.params.id),
  );

  r.patch(
    '/organisations/:id',
    {
      config: { verb: 'org.update' },
      schema: {
        operationId: 'updateOrganisation',
        summary: '修改、停用或启用机构 Update, disable or enable an organisation',
        tags: orgTags,
        params: IdParams,
        body: OrgPatch,
        response: { 200: Organisation, ...authErrors, ...errors(400, 404, 409) },
      },
    },
    async (req) => write(req, (ctx) => svc.updateOrg(ctx, req.params.id, req.body)),
  );

  r.get(
    '/users',
    {
      config: { verb: 'user.read' },
      schema: {
        operationId: 'listUsers',
        summary: '本辖区账号列表 Accounts in my jurisdiction',
        tags: userTags,
        querystring: UserQuery,
        response: { 200: UserPage, ...authErrors, ...errors(400) },
      },
    },
    async (req) => svc.listUsers(ctxOf(req), req.query),
  );

  r.post(
    '/users',
    {
      config: { verb: 'user.create', noReplay: true },
      schema: {
        operationId: 'createUser',
        summary: '创建账号（首次登录须改密）Create an account (password change forced on first login)',
        tags: userTags,
        body: UserInput,
        response: { 201: CreatedUser, ...authErrors, ...errors(400, 409) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await write(req, (ctx) => svc.createUser(ctx, req.body, app.verbTable))),
  );

  r.get(
    '/users/:id',
    {
      config: { verb: 'user.read' },
      schema: {
        operationId: 'getUser',
        summary: '账号详情 An account',
        tags: userTags,
        params: IdParams,
        response: { 200: User, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => svc.getUserDto(ctxOf(req), req.params.id),
  );

  r.patch(
    '/users/:id',
    {
      config: { verb: 'user.update' },
      schema: {
        operationId: 'updateUser',
        summary: '修改、停用或启用账号 Update, disable or enable an account',
        tags: userTags,
        params: IdParams,
        body: UserPatch,
        response: { 200: User, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => write(req, (ctx) => svc.updateUser(ctx, req.params.id, req.body, app.verbTable)),
  );

  r.post(
    '/users/:id/reset-password',
    {
      config: { verb: 'user.resetPassword', noReplay: true },
      schema: {
        operationId: 'resetUserPassword',
        summary: '重置密码（返回一次性临时密码）Reset a password (temporary password returned once)',
        tags: userTags,
        params: IdParams,
        response: { 200: TemporaryPassword, ...authErrors, ...errors(400, 404) },
      },
    },
    async (req) => write(req, (ctx) => svc.resetPassword(ctx, req.params.id)),
  );
}
