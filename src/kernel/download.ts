import type { FastifyReply } from 'fastify';

/**
 * One download helper: content type and an RFC 5987/6266 file name (`filename*=UTF-8''…` with an ASCII fallback), so
 * Chinese file names survive every browser. `inline` for PDFs shown in the browser, `attachment` otherwise.
 */
export const MIME = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  pdf: 'application/pdf',
  json: 'application/json; charset=utf-8',
  png: 'image/png',
  svg: 'image/svg+xml',
  zip: 'application/zip',
} as const;

export function contentDisposition(filename: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

export function sendFile(
  reply: FastifyReply,
  body: Buffer | Uint8Array | string | NodeJS.ReadableStream,
  opts: { filename: string; type: string; inline?: boolean },
) {
  return reply
    .type(opts.type)
    .header('content-disposition', contentDisposition(opts.filename, opts.inline ? 'inline' : 'attachment'))
    .send(body);
}
