import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { ctxOf, write } from '../../kernel/http.js';
import { DivisionCode, Nullable, Page, PageQuery, Phone, Uuid, authErrors, errors } from '../../kernel/schemas.js';
import * as svc from './service.js';

const OrgForm = Type.String({ enum: Object.keys(svc.ORG_FORMS_DIR), description: 'enterprise · cooperative · family_farm · individual · broker 农村经纪人' });
const Industry = Type.String({ enum: ['planting', 'livestock', 'fishery'] });
const props = {
  divisionCode: DivisionCode,
  name: Type.String({ minLength: 2, maxLength: 100 }),
  orgForm: OrgForm,
  industries: Type.Optional(Type.Array(Industry, { maxItems: 3, uniqueItems: true })),
  certNo: Type.Optional(Nullable(Type.String({ maxLength: 24 }))),
  address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  longitude: Type.Optional(Nullable(Type.Number({ minimum: 73, maximum: 136 }))),
  latitude: Type.Optional(Nullable(Type.Number({ minimum: 3, maximum: 54 }))),
  contactName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
  contactPhone: Type.Optional(Nullable(Phone)),
  products: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  scale: Type.Optional(Nullable(Type.String({ maxLength: 100, description: 'e.g. 50 亩, 300 头' }))),
  note: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
};
const Entry = Type.Object({
  id: Uuid, divisionCode: Type.String(), divisionName: Type.String(), name: Type.String(), orgForm: Type.String(), industries: Type.Array(Type.String()),
  certNo: Nullable(Type.String()), address: Nullable(Type.String()), longitude: Nullable(Type.Number()), latitude: Nullable(Type.Number()),
  contactName: Nullable(Type.String()), contactPhone: Nullable(Type.String()), products: Nullable(Type.String()), scale: Nullable(Type.String()), note: Nullable(Type.String()),
  registered: Type.Boolean(), subjectId: Nullable(Uuid), subjectName: Nullable(Type.String()), subjectStatus: Nullable(Type.String()), linkedAt: Nullable(Type.String()), createdAt: Type.String(),
});
const filter = {
  within: Type.Optional(DivisionCode), q: Type.Optional(Type.String({ maxLength: 50 })),
  registered: Type.Optional(Type.Boolean({ description: 'false = in the directory, not registered' })), industry: Type.Optional(Industry), orgForm: Type.Optional(OrgForm),
};

export default async function directoryRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['supervision directory'];
  r.get('/directory', {
    config: { verb: 'directory.read' },
    schema: { operationId: 'listDirectoryEntries', summary: '监管名录（可筛选“在名录未注册”） Supervision directory', tags, querystring: Type.Object({ ...filter, ...PageQuery }), response: { 200: Page(Entry), ...authErrors, ...errors(400) } },
  }, async (req) => svc.list(ctxOf(req), req.query));

  r.get('/directory/stats', {
    config: { verb: 'directory.read' },
    schema: {
      operationId: 'getDirectoryStats', summary: '名录注册情况（按下级区划） Registered vs not, per child division', tags, querystring: Type.Object({ within: Type.Optional(DivisionCode) }),
      response: { 200: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), total: Type.Integer(), registered: Type.Integer(), unregistered: Type.Integer() })), ...authErrors, ...errors(400) },
    },
  }, async (req) => svc.stats(ctxOf(req), req.query.within));

  r.get('/directory/export.xlsx', {
    config: { verb: 'directory.read' },
    schema: { operationId: 'exportDirectory', summary: '导出监管名录（Excel） Export the directory', tags, querystring: Type.Object(filter), produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], response: { 200: Type.Any(), ...authErrors, ...errors(400) } },
  }, async (req, reply) =>
    reply
      .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('监管名录.xlsx')}`)
      .send(await svc.exportWorkbook(ctxOf(req), req.query)));

  r.post('/directory', {
    config: { verb: 'directory.write' },
    schema: { operationId: 'createDirectoryEntry', summary: '录入监管名录 Record a producer found in the census', tags, body: Type.Object(props, { additionalProperties: false }), response: { 201: Entry, ...authErrors, ...errors(400) } },
  }, async (req, reply) => reply.status(201).send(await write(req, (ctx) => svc.create(ctx, req.body))));

  r.patch('/directory/:id', {
    config: { verb: 'directory.write' },
    schema: { operationId: 'updateDirectoryEntry', summary: '修改监管名录条目 Update a directory entry', tags, params: Type.Object({ id: Uuid }), body: Type.Partial(Type.Object(props), { additionalProperties: false, minProperties: 1 }), response: { 200: Entry, ...authErrors, ...errors(400, 404) } },
  }, async (req) => write(req, (ctx) => svc.update(ctx, req.params.id, req.body)));
}
