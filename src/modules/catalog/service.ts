import type { Selectable } from 'kysely';
import { audit } from '../../kernel/audit.js';
import { attachFile, registerFileOwner } from '../../kernel/files.js';
import type { Ctx } from '../../kernel/context.js';
import { problems } from '../../kernel/problems.js';
import type { BaseTable, CustomerTable, Industry, ProductCertification, ProductTable } from '../../schema.js';
import * as regions from '../regions/service.js';
import { canSee, producerOf, readScopeOf } from './owner.js';
import * as repo from './repo.js';

/** The twelve key products of the origin digital map (seed 004). */
export const KEY_PRODUCTS = ['豇豆', '韭菜', '芹菜', '鸡蛋', '乌鸡', '肉牛', '肉羊', '大口黑鲈', '乌鳢', '鳊鱼', '大黄鱼', '生猪'] as const;
export const CERT_TYPES = { green: '绿色食品', organic: '有机农产品', gi: '农产品地理标志' } as const;

export interface ProductInput {
  name: string;
  industry: Industry;
  classification?: string | null;
  keyProduct?: string | null;
  unit?: string;
  certifications?: ProductCertification[];
}

export const productDto = (p: Selectable<ProductTable>) => ({
  id: p.id,
  subjectId: p.subject_id,
  name: p.name,
  industry: p.industry,
  classification: p.classification,
  keyProduct: p.key_product,
  unit: p.unit,
  certifications: p.certifications.map((c) => ({ ...c, validFrom: c.validFrom ?? null, validTo: c.validTo ?? null, typeName: CERT_TYPES[c.type] })),
  createdAt: p.created_at.toISOString(),
});

export async function createProduct(ctx: Ctx, input: ProductInput) {
  const me = await producerOf(ctx);
  if (await repo.productNameTaken(ctx.db, me.id, input.name)) throw problems.duplicate('产品', 'Product', input.name, 'name');
  (input.certifications ?? []).forEach((c, i) => {
    if (c.validFrom && c.validTo && c.validTo < c.validFrom) throw problems.invalid(`certifications.${i}.validTo`, '不能早于生效日期', 'must not be before validFrom');
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
  });
  await audit(ctx, { verb: 'product.manage', targetType: 'product', targetId: row.id, divisionCode: me.divisionCode, summary: { name: input.name } });
  return productDto(row);
}

export interface BaseInput {
  name: string;
  divisionCode: string;
  address?: string | null;
  area?: number | null;
  areaUnit?: string;
  longitude?: number | null;
  latitude?: number | null;
  method?: 'open_field' | 'facility' | null;
  photos?: string[];
}

export const baseDto = (b: Selectable<BaseTable>, divisionName?: string) => ({
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
  createdAt: b.created_at.toISOString(),
});

export async function createBase(ctx: Ctx, input: BaseInput) {
  const me = await producerOf(ctx);
  await regions.assertExists(ctx, input.divisionCode, 'divisionCode');
  if (input.divisionCode.length < 9) throw problems.invalid('divisionCode', '须选到乡镇（9 位）或村（12 位）', 'must be a township (9 digits) or village (12 digits)');
  if ((input.longitude == null) !== (input.latitude == null)) throw problems.invalid(input.longitude == null ? 'longitude' : 'latitude', '经度和纬度须同时填写', 'longitude and latitude go together');
  if (await repo.baseNameTaken(ctx.db, me.id, input.name)) throw problems.duplicate('生产基地', 'Production base', input.name, 'name');
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
  });
  for (const [i, fileId] of (input.photos ?? []).entries()) await attachFile(ctx, fileId, 'base', row.id, `photos.${i}`);
  await audit(ctx, { verb: 'product.manage', targetType: 'base', targetId: row.id, divisionCode: row.division_code, summary: { name: input.name } });
  return baseDto(row, await regions.fullName(ctx, row.division_code));
}

export interface CustomerInput {
  name: string;
  kind: Selectable<CustomerTable>['kind'];
  contactName?: string | null;
  phone?: string | null;
  address?: string | null;
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
});

export async function createCustomer(ctx: Ctx, input: CustomerInput) {
  const me = await producerOf(ctx);
  if (await repo.customerNameTaken(ctx.db, me.id, input.name)) throw problems.duplicate('客户', 'Customer', input.name, 'name');
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
  });
  await audit(ctx, { verb: 'product.manage', targetType: 'customer', targetId: row.id, divisionCode: me.divisionCode, summary: { name: input.name } });
  return customerDto(row);
}

const page = (q: { page?: number; pageSize?: number }) => ({ limit: q.pageSize ?? 50, offset: ((q.page ?? 1) - 1) * (q.pageSize ?? 50) });

export async function listProducts(ctx: Ctx, q: { page?: number; pageSize?: number }) {
  const { limit, offset } = page(q);
  return (await repo.listProducts(ctx.db, await readScopeOf(ctx), limit, offset)).map(productDto);
}
export async function listBases(ctx: Ctx, q: { page?: number; pageSize?: number }) {
  const { limit, offset } = page(q);
  const rows = await repo.listBases(ctx.db, await readScopeOf(ctx), limit, offset);
  return Promise.all(rows.map(async (b) => baseDto(b, await regions.fullName(ctx, b.division_code))));
}
export async function listCustomers(ctx: Ctx, q: { page?: number; pageSize?: number }) {
  const { limit, offset } = page(q);
  return (await repo.listCustomers(ctx.db, await readScopeOf(ctx), limit, offset)).map(customerDto);
}

// Base photos are stored files owned by the base: the producer and regulators in scope may read them.
registerFileOwner('base', async (ctx, baseId) => {
  const b = await repo.baseById(ctx.db, baseId);
  return !!b && canSee(await readScopeOf(ctx), b);
});
