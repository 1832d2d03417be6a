/**
 * JSON with object keys sorted at every level (arrays keep their order): the byte string that the sharing interface
 * hashes and signs, and that an EPCIS event's content hash is taken of.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v as object)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v,
  );
}
