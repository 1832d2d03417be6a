import type { Kysely, Selectable } from 'kysely';
import { audit } from '../../kernel/audit.js';
import { type OwnerCheck, attachFile, fileRefs } from '../../kernel/files.js';
import type { Ctx } from '../../kernel/context.js';
import { problems } from '../../kernel/problems.js';
import type { BaseTable, CustomerTable, DB, Industry, ProductTable } from '../../schema.js';
import * as regions from '../regions/service.js';
import { canSee, enteredBy, enteredByOf, producerOf, readScopeOf } from './owner.js';
import * as repo from './repo.js';
import { type BaseInput, CERT_TYPE_LABELS, type CustomerInput, type ProductInput } from './schemas.js';

export { KEY_PRODUCTS } from './schemas.js';

export const productDto = (p: Selectable<ProductTable>) => ({
  id: p.id,
  subjectId: p.subject_id,
  name: p.name,
  industry: p.industry,
  classification: p.classification,
  keyProduct: p.key_product,
  unit: p.unit,
  certifications: p.certifications.map((c) => ({
    ...c,
    validFrom: c.validFrom ?? null,
    validTo: c.validTo ?? null,
    typeName: CERT_TYPE_LABELS[c.type].zh,
    typeNameEn: CERT_TYPE_LABELS[c.type].en,
  })),
  createdAt: p.created_at.toISOString(),
  enteredBy: enteredByOf(p),
});

export async function createProduct(ctx: Ctx, input: ProductInput) {
  const me = await producerOf(ctx, 'products');
  if (await repo.productNameTaken(ctx.db, me.id, input.name))
    throw problems.duplicate('产品', 'Product', input.name, 'name');
  (input.certifications ?? []).forEach((c, i) => {
    if (c.validFrom && c.validTo && c.validTo < c.validFrom)
      throw problems.invalid(`certifications.${i}.validTo`, '不能早于生效日期', 'must not be before validFrom');
  });
  const row = await repo.insertProduct(ctx.db, {
    subject_id: me.id,
    division_code: me.divisionCode,
    name: input.name,
    industry: input.industry,
    classification: input.classification ?? null,
    key_product: input.keyProduct ?? null,
    unit: input.unit ?? 'kg',
    certifications: JSON.stringify(input.certifications ?? []),
    created_by: ctx.actor.id,
    ...enteredBy(me),
  });
  await audit(ctx, {
    verb: 'product.manage',
    targetType: 'product',
    targetId: row.id,
    divisionCode: me.divisionCode,
    summary: { name: input.name },
  });
  return productDto(row);
}

type FileRef = { id: string; name: string; mime: string };

export const baseDto = (b: Selectable<BaseTable>, divisionName?: string, files: readonly FileRef[] = []) => ({
  id: b.id,
  subjectId: b.subject_id,
  name: b.name,
  divisionCode: b.division_code,
  divisionName: divisionName ?? null,
  address: b.address,
  area: b.area === null ? null : Number(b.area),
  areaUnit: b.area_unit,
  longitude: b.longitude,
  latitude: b.latitude,
  method: b.method,
  photos: b.photos,
  // The photos and short videos, in order, named and typed (an MP4 plays in place).
  media: b.photos.flatMap((id) => {
    const f = files.find((x) => x.id === id);
    return f ? [{ id: f.id, name: f.name, mime: f.mime }] : [];
  }),
  createdAt: b.created_at.toISOString(),
  enteredBy: enteredByOf(b),
});

export async function createBase(ctx: Ctx, input: BaseInput) {
  const me = await producerOf(ctx, 'bases');
  await regions.assertExists(ctx, input.divisionCode, 'divisionCode');
  if (input.divisionCode.length < 9)
    throw problems.invalid(
      'divisionCode',
      '须选到乡镇（9 位）或村（12 位）',
      'must be a township (9 digits) or village (12 digits)',
    );
  if ((input.longitude == null) !== (input.latitude == null))
    throw problems.invalid(
      input.longitude == null ? 'longitude' : 'latitude',
      '经度和纬度须同时填写',
      'longitude and latitude go together',
    );
  if (await repo.baseNameTaken(ctx.db, me.id, input.name))
    throw problems.duplicate('生产基地', 'Production base', input.name, 'name');
  const row = await repo.insertBase(ctx.db, {
    subject_id: me.id,
    division_code: input.divisionCode,
    name: input.name,
    address: input.address ?? null,
    area: input.area ?? null,
    area_unit: input.areaUnit ?? 'mu',
    longitude: input.longitude ?? null,
    latitude: input.latitude ?? null,
    method: input.method ?? null,
    photos: JSON.stringify(input.photos ?? []),
    created_by: ctx.actor.id,
    ...enteredBy(me),
  });
  for (const [i, fileId] of (input.photos ?? []).entries())
    await attachFile(ctx, fileId, 'base', row.id, `photos.${i}`);
  await audit(ctx, {
    verb: 'product.manage',
    targetType: 'base',
    targetId: row.id,
    divisionCode: row.division_code,
    summary: { name: input.name },
  });
  return baseDto(row, await regions.fullName(ctx, row.division_code), await fileRefs(ctx.db, input.photos ?? []));
}

export const customerDto = (c: Selectable<CustomerTable>) => ({
  id: c.id,
  name: c.name,
  kind: c.kind,
  contactName: c.contact_name,
  phone: c.phone,
  address: c.address,
  customerSubjectId: c.customer_subject_id,
  createdAt: c.created_at.toISOString(),
  enteredBy: enteredByOf(c),
});

export async function createCustomer(ctx: Ctx, input: CustomerInput) {
  const me = await producerOf(ctx, 'sales');
  if (await repo.customerNameTaken(ctx.db, me.id, input.name))
    throw problems.duplicate('客户', 'Customer', input.name, 'name');
  const row = await repo.insertCustomer(ctx.db, {
    subject_id: me.id,
    division_code: me.divisionCode,
    name: input.name,
    kind: input.kind,
    contact_name: input.contactName ?? null,
    phone: input.phone ?? null,
    address: input.address ?? null,
    customer_subject_id: null,
    created_by: ctx.actor.id,
    ...enteredBy(me),
  });
  await audit(ctx, {
    verb: 'product.manage',
    targetType: 'customer',
    targetId: row.id,
    divisionCode: me.divisionCode,
    summary: { name: input.name },
  });
  return customerDto(row);
}

const page = (q: { page?: number; pageSize?: number }) => ({
  limit: q.pageSize ?? 50,
  offset: ((q.page ?? 1) - 1) * (q.pageSize ?? 50),
});

export async function listProducts(ctx: Ctx, q: { page?: number; pageSize?: number }) {
  const { limit, offset } = page(q);
  return (await repo.listProducts(ctx.db, await readScopeOf(ctx), limit, offset)).map(productDto);
}
export async function listBases(ctx: Ctx, q: { page?: number; pageSize?: number }) {
  const { limit, offset } = page(q);
  const rows = await repo.listBases(ctx.db, await readScopeOf(ctx), limit, offset);
  const files = await fileRefs(
    ctx.db,
    rows.flatMap((b) => b.photos),
  );
  return Promise.all(rows.map(async (b) => baseDto(b, await regions.fullName(ctx, b.division_code), files)));
}
export async function listCustomers(ctx: Ctx, q: { page?: number; pageSize?: number }) {
  const { limit, offset } = page(q);
  return (await repo.listCustomers(ctx.db, await readScopeOf(ctx), limit, offset)).map(customerDto);
}

// Base photos are stored files owned by the base: the producer and regulators in scope may read them.
export const mayReadBaseFile: OwnerCheck = async (ctx, baseId) => {
  const b = await repo.baseById(ctx.db, baseId);
  return !!b && canSee(await readScopeOf(ctx), b);
};

// ── Service facade: what other modules (batches, inputs, trade) read and write of products goes through here ────────────────────
export const productById = (db: Kysely<DB>, id: string) => repo.productById(db, id);
export const baseById = (db: Kysely<DB>, id: string) => repo.baseById(db, id);

/** Finds (or creates) a subject's product of this name, so a received batch has a product of its own. */
export async function ensureProduct(
  db: Kysely<DB>,
  v: {
    subjectId: string;
    divisionCode: string;
    name: string;
    industry: Industry;
    unit: string;
    classification: string | null;
    actorId: string;
  },
): Promise<string> {
  const have = await repo.productByName(db, v.subjectId, v.name);
  if (have) return have.id;
  const r = await repo.insertProduct(db, {
    subject_id: v.subjectId,
    division_code: v.divisionCode,
    name: v.name,
    industry: v.industry,
    unit: v.unit,
    classification: v.classification,
    key_product: null,
    certifications: '[]',
    created_by: v.actorId,
  });
  return r.id;
}
