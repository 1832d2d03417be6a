import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import ts from 'typescript';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../src/kernel/db/connect.js';
import { freshDatabase } from './helpers.js';

/**
 * The Kysely table types (`src/**\/tables.ts`, assembled into `DB` by src/schema.ts) against the migrated database's
 * `information_schema`: every declared table exists with exactly the declared columns, and a column is nullable in
 * the database exactly when its (select) type admits null. Runs on PGlite and on PostgreSQL (TEST_DATABASE_URL).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** Tables the migration runner keeps for itself (raw SQL, no Kysely type). */
const UNTYPED_TABLES = new Set(['schema_migration']);

interface DeclaredColumn {
  nullable: boolean;
}
type Declared = Map<string, { file: string; columns: Map<string, DeclaredColumn> }>;

function tablesFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) tablesFiles(p, out);
    else if (name === 'tables.ts') out.push(p);
  }
  return out;
}

/** Reads every `XTables` interface (table → row interface) with the type checker, so aliases and wrappers resolve. */
function declaredTables(): Declared {
  const files = tablesFiles(path.join(ROOT, 'src'));
  const program = ts.createProgram(files, {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const isNullable = (t: ts.Type) =>
    (t.flags & ts.TypeFlags.Null) !== 0 || (t.isUnion() && t.types.some((u) => (u.flags & ts.TypeFlags.Null) !== 0));
  /** Kysely's `ColumnType`/`Generated` carry the select type in `__select__`; a plain type is its own select type. */
  const selectType = (t: ts.Type, at: ts.Node) => {
    const s = t.getProperty('__select__');
    return s ? checker.getTypeOfSymbolAtLocation(s, at) : t;
  };
  const out: Declared = new Map();
  for (const file of files) {
    const sf = program.getSourceFile(file);
    if (!sf) throw new Error(`not parsed: ${file}`);
    for (const st of sf.statements) {
      if (!ts.isInterfaceDeclaration(st) || !/Tables$/.test(st.name.text)) continue;
      for (const member of st.members) {
        if (!ts.isPropertySignature(member) || !member.name || !ts.isIdentifier(member.name) || !member.type) continue;
        const row = checker.getTypeFromTypeNode(member.type);
        const columns = new Map<string, DeclaredColumn>();
        for (const prop of checker.getPropertiesOfType(row)) {
          const t = checker.getTypeOfSymbolAtLocation(prop, member);
          columns.set(prop.name, { nullable: isNullable(selectType(t, member)) });
        }
        out.set(member.name.text, { file: path.relative(ROOT, file), columns });
      }
    }
  }
  return out;
}

let database: Database;
let drop: () => Promise<void>;
beforeAll(async () => {
  ({ database, drop } = await freshDatabase());
});
afterAll(async () => {
  await database?.close();
  await drop?.();
});

it('the Kysely table types match the migrated database (tables, columns, nullability)', async () => {
  const declared = declaredTables();
  expect(declared.size).toBeGreaterThan(50);
  const rows = await sql<{ table_name: string; table_type: string; column_name: string; is_nullable: string }>`
    SELECT c.table_name, t.table_type, c.column_name, c.is_nullable
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
    WHERE c.table_schema = current_schema()
      -- partitions (issue 19 item 6) are their parent's storage, typed by the parent
      AND NOT EXISTS (SELECT 1 FROM pg_class p WHERE p.oid = to_regclass(quote_ident(c.table_name)) AND p.relispartition)
    ORDER BY c.table_name, c.ordinal_position`.execute(database.db);
  const actual = new Map<string, { view: boolean; columns: Map<string, boolean> }>();
  for (const r of rows.rows) {
    if (!actual.has(r.table_name)) actual.set(r.table_name, { view: r.table_type === 'VIEW', columns: new Map() });
    actual.get(r.table_name)?.columns.set(r.column_name, r.is_nullable === 'YES');
  }

  const problems: string[] = [];
  for (const [table, d] of declared) {
    const a = actual.get(table);
    if (!a) {
      problems.push(`${d.file}: table ${table} is declared but not in the database`);
      continue;
    }
    for (const [column, c] of d.columns) {
      const nullable = a.columns.get(column);
      if (nullable === undefined) problems.push(`${d.file}: ${table}.${column} is declared but not in the database`);
      // A view's columns are always reported nullable: only tables are checked for nullability.
      else if (!a.view && nullable !== c.nullable)
        problems.push(
          `${d.file}: ${table}.${column} is ${nullable ? 'nullable' : 'NOT NULL'} in the database but ${c.nullable ? 'nullable' : 'not nullable'} in its type`,
        );
    }
    for (const column of a.columns.keys())
      if (!d.columns.has(column)) problems.push(`${d.file}: ${table}.${column} is in the database but not declared`);
  }
  for (const table of actual.keys())
    if (!declared.has(table) && !UNTYPED_TABLES.has(table))
      problems.push(`table ${table} is in the database but declared in no tables.ts`);
  expect(problems, `schema drift:\n${problems.join('\n')}`).toEqual([]);
});
