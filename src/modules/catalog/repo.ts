import type { Insertable, Kysely } from 'kysely';
import type { BaseTable, CustomerTable, DB, ProductTable } from '../../schema.js';
import { type ReadScope, readFilter } from './owner.js';

export const insertProduct = (db: Kysely<DB>, v: Insertable<ProductTable>) =>
  db.insertInto('product').values(v).returningAll().executeTakeFirstOrThrow();
export const insertBase = (db: Kysely<DB>, v: Insertable<BaseTable>) =>
  db.insertInto('base').values(v).returningAll().executeTakeFirstOrThrow();
export const insertCustomer = (db: Kysely<DB>, v: Insertable<CustomerTable>) =>
  db.insertInto('customer').values(v).returningAll().executeTakeFirstOrThrow();

export const productNameTaken = async (db: Kysely<DB>, subjectId: string, name: string) =>
  !!(await db
    .selectFrom('product')
    .select('id')
    .where('subject_id', '=', subjectId)
    .where('name', '=', name)
    .executeTakeFirst());
export const baseNameTaken = async (db: Kysely<DB>, subjectId: string, name: string) =>
  !!(await db
    .selectFrom('base')
    .select('id')
    .where('subject_id', '=', subjectId)
    .where('name', '=', name)
    .executeTakeFirst());
export const customerNameTaken = async (db: Kysely<DB>, subjectId: string, name: string) =>
  !!(await db
    .selectFrom('customer')
    .select('id')
    .where('subject_id', '=', subjectId)
    .where('name', '=', name)
    .executeTakeFirst());

export const productByName = (db: Kysely<DB>, subjectId: string, name: string) =>
  db.selectFrom('product').select('id').where('subject_id', '=', subjectId).where('name', '=', name).executeTakeFirst();
export const productById = (db: Kysely<DB>, id: string) =>
  db.selectFrom('product').selectAll().where('id', '=', id).executeTakeFirst();
export const baseById = (db: Kysely<DB>, id: string) =>
  db.selectFrom('base').selectAll().where('id', '=', id).executeTakeFirst();

export const listProducts = (db: Kysely<DB>, rs: ReadScope, limit: number, offset: number) =>
  db
    .selectFrom('product as p')
    .selectAll('p')
    .where((eb) => readFilter(eb, rs, 'p'))
    .orderBy('p.created_at', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
export const listBases = (db: Kysely<DB>, rs: ReadScope, limit: number, offset: number) =>
  db
    .selectFrom('base as b')
    .selectAll('b')
    .where((eb) => readFilter(eb, rs, 'b'))
    .orderBy('b.created_at', 'desc')
    .limit(limit)
    .offset(offset)
    .execute();
export const listCustomers = (db: Kysely<DB>, rs: ReadScope, limit: number, offset: number) =>
  db
    .selectFrom('customer as c')
    .selectAll('c')
    .where((eb) => readFilter(eb, rs, 'c'))
    .orderBy('c.name')
    .limit(limit)
    .offset(offset)
    .execute();
