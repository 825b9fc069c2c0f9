import { badContent } from './errors';

export interface Part {
  /** Lower-cased header names. */
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * Splits a multipart/related body (RFC 2046 §5.1.1) that is already in memory. Hand-written on
 * purpose: the maintained multipart parsers on npm are form-data only or ESM-only (which this
 * CommonJS test tree cannot import under TypeScript's Node16 rules), and a buffer split is short.
 */
export function parseMultipartRelated(contentType: string, body: Buffer): Part[] {
  const boundaryMatch = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  if (!/^multipart\/related\b/i.test(contentType) || !boundaryMatch) {
    throw badContent(`Multipart uploads need Content-Type multipart/related with a boundary, not "${contentType}".`);
  }
  const boundary = boundaryMatch[1] ?? boundaryMatch[2];
  const first = Buffer.from(`--${boundary}`);
  const next = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(first);
  if (pos < 0) throw badContent('The multipart body does not contain its boundary.');
  pos += first.length;
  const parts: Part[] = [];
  for (;;) {
    if (body.subarray(pos, pos + 2).toString('latin1') === '--') return parts;
    const lineEnd = body.indexOf('\r\n', pos);
    if (lineEnd < 0) throw badContent('The multipart body ends inside a boundary line.');
    const start = lineEnd + 2;
    const end = body.indexOf(next, start);
    if (end < 0) throw badContent('The multipart body has no closing boundary.');
    const raw = body.subarray(start, end);
    const split = raw.subarray(0, 2).toString('latin1') === '\r\n' ? 0 : raw.indexOf('\r\n\r\n');
    if (split < 0) throw badContent('A multipart part has no blank line after its headers.');
    const headers: Record<string, string> = {};
    for (const line of raw.subarray(0, split).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, body: raw.subarray(split === 0 ? 2 : split + 4) });
    pos = end + next.length;
  }
}
