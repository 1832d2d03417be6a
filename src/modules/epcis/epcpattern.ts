/**
 * EPC patterns of the EPCIS query (GS1 EPCIS 2.0 §8.2.7.1 `MATCH_epc`, `MATCH_anyEPC`; EPC Tag Data Standard §8,
 * "EPC Pattern URI"). A value is one of:
 * - an EPC pattern URI `urn:epc:idpat:{scheme}:{c1}.{c2}…` whose trailing components may be `*` (`0614141.107346.*`
 *   every serial of one product, `0614141.*.*` every product of one company prefix, `*.*.*` the whole scheme);
 *   it matches the pure-identity URNs `urn:epc:id:{scheme}:…` with those components, and — for `sgtin` — the GS1
 *   Digital Link form of the same keys (`https://…/01/{GTIN-14}/21/{serial}`, any resolver domain);
 * - a URI ending in `*` (the Digital Link style pattern, e.g. `https://id.gs1.org/01/00614141073467/21/*`): every
 *   EPC that starts with what precedes the `*`;
 * - anything else: that EPC exactly.
 * Each value becomes a regular expression, written in the subset PostgreSQL's and JavaScript's dialects share, so the
 * repository matches it in SQL (`~`) and the unit test in JavaScript.
 */

export class EpcPatternError extends Error {
  constructor(
    readonly value: string,
    readonly reasonZh: string,
    readonly reasonEn: string,
  ) {
    super(reasonEn);
  }
}

const escapeRe = (s: string) => s.replace(/[\\^$.*+?()[\]{}|/-]/g, (c) => `\\${c}`);

/** Component counts of the EPC schemes with pattern URIs (TDS 2.1 §8). */
const COMPONENTS: Record<string, number> = {
  sgtin: 3,
  sscc: 2,
  sgln: 3,
  grai: 3,
  giai: 2,
  gsrn: 2,
  gsrnp: 2,
  gdti: 3,
  cpi: 3,
  sgcn: 3,
  ginc: 2,
  gsin: 2,
  itip: 5,
  upui: 3,
  pgln: 2,
};

/** Every digit string of `n` digits. */
const digits = (n: number) => (n > 0 ? `[0-9]{${n}}` : '');

/** The Digital Link paths an SGTIN pattern covers: `/01/{GTIN-14}/21/{serial}` under any host. */
function sgtinDigitalLink(companyPrefix: string, itemRef: string | null, serial: string | null): string {
  // GTIN-14 = indicator (first digit of the item reference) + company prefix + rest of the item reference + check.
  const gtin =
    companyPrefix === '*'
      ? digits(14)
      : itemRef === null
        ? `${digits(1)}${companyPrefix}${digits(13 - companyPrefix.length)}`
        : `${itemRef.slice(0, 1)}${companyPrefix}${itemRef.slice(1)}${digits(1)}`;
  const tail = serial === null ? '[^/?#]+' : escapeRe(serial);
  return `^https?://[^/?#]+(/[^?#]*)?/01/${gtin}/21/${tail}$`;
}

/** Whether a query value is a pattern (an EPC pattern URI or a URI ending in `*`) rather than one EPC. */
export const isEpcPattern = (value: string) => value.startsWith('urn:epc:idpat:') || value.endsWith('*');

/** The regular expressions one query value stands for (an exact EPC is one anchored literal). */
export function epcPatternRegexes(value: string): string[] {
  const idpat = /^urn:epc:idpat:([a-z]+):(.*)$/.exec(value);
  if (idpat) {
    const [, scheme, rest] = idpat;
    const n = COMPONENTS[scheme];
    if (!n)
      throw new EpcPatternError(
        value,
        `不支持的 EPC 模式类型“${scheme}”`,
        `unsupported EPC pattern scheme "${scheme}"`,
      );
    const parts = rest.split('.');
    if (parts.length !== n)
      throw new EpcPatternError(
        value,
        `EPC 模式“${value}”应有 ${n} 个以“.”分隔的部分`,
        `the EPC pattern "${value}" must have ${n} parts separated by "."`,
      );
    const firstStar = parts.indexOf('*');
    if (parts.some((p) => p === '') || (firstStar >= 0 && parts.slice(firstStar).some((p) => p !== '*')))
      throw new EpcPatternError(
        value,
        `EPC 模式“${value}”中的“*”只能出现在末尾的部分`,
        `in the EPC pattern "${value}" only trailing parts may be "*"`,
      );
    // Fixed parts literally; a wildcard part is one or more characters without '.', the last one anything.
    const re = parts.map((p, i) => (p !== '*' ? escapeRe(p) : i === n - 1 ? '.+' : '[^.]+')).join('\\.');
    const out = [`^urn:epc:id:${scheme}:${re}$`];
    if (scheme === 'sgtin' && /^[0-9]+$|^\*$/.test(parts[0]) && /^[0-9]+$|^\*$/.test(parts[1]))
      out.push(sgtinDigitalLink(parts[0], parts[1] === '*' ? null : parts[1], parts[2] === '*' ? null : parts[2]));
    return out;
  }
  if (value.startsWith('urn:epc:idpat:'))
    throw new EpcPatternError(value, `EPC 模式“${value}”无法识别`, `the EPC pattern "${value}" is not recognised`);
  if (value.endsWith('*') && /^[a-z][a-z0-9+.-]*:/i.test(value)) return [`^${escapeRe(value.slice(0, -1))}`];
  return [`^${escapeRe(value)}$`];
}

/** Whether `epc` matches the query value `pattern` (the JavaScript twin of the SQL match; for tests and callers). */
export function epcMatches(pattern: string, epc: string): boolean {
  return epcPatternRegexes(pattern).some((r) => new RegExp(r).test(epc));
}
