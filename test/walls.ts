/**
 * The walls of docs/ARCHITECTURE.md, checked by parsing every source file's imports and writes:
 *
 * 1. the kernel imports no module;
 * 2. a `routes.ts` imports no repo (its own or another's);
 * 3. a module never imports another module's repo;
 * 4. a module writes only the tables it owns (its `tables.ts`): insertInto / updateTable / deleteFrom / raw SQL;
 * 5. no import cycle between files, nor between modules (type-only imports are erased and do not count);
 * 6. the web imports no server code except the generated API types.
 *
 * `npx tsx test/walls.ts` prints the violations; `test/walls.test.ts` fails on any, naming file and line.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The one server file the web may import: the types generated from the OpenAPI document live in web/ itself. */
const WEB_ALLOWED_SERVER_IMPORTS: string[] = [];

export interface Violation {
  file: string;
  line: number;
  rule: string;
  detail: string;
}

interface Edge {
  from: string;
  to: string;
  line: number;
  typeOnly: boolean;
}

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(p).isDirectory()) walk(p, out);
    else if (/\.(ts|tsx)$/.test(name) && !/\.d\.ts$/.test(name)) out.push(p);
  }
  return out;
}

const rel = (p: string) => path.relative(ROOT, p).split(path.sep).join('/');

function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  const candidates = [
    base.replace(/\.js$/, '.ts'),
    base.replace(/\.js$/, '.tsx'),
    `${base}.ts`,
    `${base}.tsx`,
    path.join(base, 'index.ts'),
  ];
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) return c;
    } catch {}
  }
  return null;
}

function edgesOf(file: string, sf: ts.SourceFile): Edge[] {
  const out: Edge[] = [];
  const lineOf = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const add = (spec: string, node: ts.Node, typeOnly: boolean) => {
    const to = resolveImport(file, spec);
    if (to) out.push({ from: file, to, line: lineOf(node), typeOnly });
    else if (spec.startsWith('.'))
      out.push({ from: file, to: path.resolve(path.dirname(file), spec), line: lineOf(node), typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.importClause;
      let typeOnly = !!c?.isTypeOnly;
      if (c && !typeOnly && !c.name && c.namedBindings && ts.isNamedImports(c.namedBindings)) {
        typeOnly = c.namedBindings.elements.length > 0 && c.namedBindings.elements.every((e) => e.isTypeOnly);
      }
      add(node.moduleSpecifier.text, node, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, node, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** `src/modules/<name>/…` → name; kernel files → 'kernel'; others → null. */
function moduleOf(relPath: string): string | null {
  const m = /^src\/modules\/([^/]+)\//.exec(relPath);
  if (m) return m[1];
  if (relPath.startsWith('src/kernel/')) return 'kernel';
  return null;
}

const isRepo = (relPath: string) => /\/repo(\.ts|\/)/.test(relPath) || /\/repo\.tsx?$/.test(relPath);
const isTest = (relPath: string) => /\.test\.tsx?$/.test(relPath);

/** Table → owning module, read from every `tables.ts` (`export interface XTables { table: … }`). */
export function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  const files = walk(path.join(ROOT, 'src')).filter((f) => /\/tables\.ts$/.test(f));
  for (const f of files) {
    const owner = moduleOf(rel(f));
    if (!owner) continue;
    const sf = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true);
    for (const st of sf.statements) {
      if (ts.isInterfaceDeclaration(st) && /Tables$/.test(st.name.text)) {
        for (const m of st.members) if (m.name && ts.isIdentifier(m.name)) owners.set(m.name.text, owner);
      }
    }
  }
  return owners;
}

const WRITE_CALL =
  /\b(insertInto|updateTable|deleteFrom|mergeInto|replaceInto)\(\s*['"`]([a-z_]+)(?:\s+as\s+\w+)?['"`]/g;
const WRITE_SQL = /\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+([a-z_]+)\b/g;

function writesOf(text: string): { table: string; line: number }[] {
  const out: { table: string; line: number }[] = [];
  const lineAt = (i: number) => text.slice(0, i).split('\n').length;
  for (const re of [WRITE_CALL, WRITE_SQL]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) out.push({ table: m[2], line: lineAt(m.index) });
  }
  return out;
}

/** Strongly connected components with more than one node (Tarjan). */
function cycles(nodes: string[], adj: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string) => {
    idx.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    on.add(v);
    for (const w of adj.get(v) ?? []) {
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) out.push(comp.sort());
    }
  };
  for (const n of nodes) if (!idx.has(n)) strong(n);
  return out;
}

export function findViolations(): Violation[] {
  const files = [...walk(path.join(ROOT, 'src')), ...walk(path.join(ROOT, 'web', 'src'))];
  const v: Violation[] = [];
  const owners = tableOwners();
  const runtimeEdges: Edge[] = [];
  for (const file of files) {
    const r = rel(file);
    const text = readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(
      file,
      text,
      ts.ScriptTarget.Latest,
      true,
      r.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
    );
    const edges = edgesOf(file, sf);
    const mod = moduleOf(r);
    for (const e of edges) {
      const to = rel(e.to);
      const toMod = moduleOf(to);
      if (!e.typeOnly) runtimeEdges.push(e);
      if (r.startsWith('web/')) {
        if (!to.startsWith('web/') && !WEB_ALLOWED_SERVER_IMPORTS.includes(to))
          v.push({ file: r, line: e.line, rule: 'web imports server code', detail: to });
        continue;
      }
      if (mod === 'kernel' && toMod && toMod !== 'kernel')
        v.push({ file: r, line: e.line, rule: 'kernel imports a module', detail: to });
      if (/\/routes\.ts$/.test(r) && isRepo(to))
        v.push({ file: r, line: e.line, rule: 'routes import a repo', detail: to });
      if (mod && mod !== 'kernel' && toMod && toMod !== mod && toMod !== 'kernel' && isRepo(to))
        v.push({ file: r, line: e.line, rule: "imports another module's repo", detail: to });
    }
    if (mod && !isTest(r) && !/\/tables\.ts$/.test(r)) {
      for (const w of writesOf(text)) {
        const owner = owners.get(w.table);
        if (owner && owner !== mod)
          v.push({
            file: r,
            line: w.line,
            rule: "writes another module's table",
            detail: `${w.table} (owned by ${owner})`,
          });
      }
    }
  }
  // file cycles (runtime imports only)
  const adj = new Map<string, Set<string>>();
  for (const e of runtimeEdges) {
    if (!adj.has(e.from)) adj.set(e.from, new Set());
    adj.get(e.from)!.add(e.to);
  }
  for (const comp of cycles([...adj.keys()], adj)) {
    const first = runtimeEdges.find((e) => comp.includes(e.from) && comp.includes(e.to))!;
    v.push({
      file: rel(first.from),
      line: first.line,
      rule: 'import cycle between files',
      detail: comp.map(rel).join(' → '),
    });
  }
  // module cycles
  const madj = new Map<string, Set<string>>();
  const mline = new Map<string, Edge>();
  for (const e of runtimeEdges) {
    const a = moduleOf(rel(e.from));
    const b = moduleOf(rel(e.to));
    if (!a || !b || a === b || a === 'kernel' || b === 'kernel') continue;
    if (!madj.has(a)) madj.set(a, new Set());
    madj.get(a)!.add(b);
    mline.set(`${a}>${b}`, e);
  }
  for (const comp of cycles([...madj.keys()], madj)) {
    const pair = [...mline.entries()].find(([k]) => {
      const [a, b] = k.split('>');
      return comp.includes(a) && comp.includes(b);
    })!;
    v.push({
      file: rel(pair[1].from),
      line: pair[1].line,
      rule: 'import cycle between modules',
      detail: comp.join(' ↔ '),
    });
  }
  return v.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

export function formatViolations(v: Violation[]): string {
  return v.map((x) => `${x.file}:${x.line}  ${x.rule}: ${x.detail}`).join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const v = findViolations();
  const only = process.argv[2];
  const shown = only ? v.filter((x) => x.file.includes(only) || x.detail.includes(only)) : v;
  console.log(formatViolations(shown));
  console.log(`${shown.length} wall violations${only ? ` matching ${only}` : ''} (${v.length} in all)`);
}
