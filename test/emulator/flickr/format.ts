import type { Reply } from '../http';

/**
 * A Flickr response in its JSON shape (https://www.flickr.com/services/api/response.json.html):
 * attributes are keys, element text is `_content`, repeated elements are arrays. The XML form is
 * derived from it, so both formats always say the same thing.
 */
export type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
export type Body = Record<string, Json>;

export class FlickrError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

function element(name: string, value: Json, indent: string): string {
  if (value === null || typeof value !== 'object') return `${indent}<${name}>${escapeXml(String(value ?? ''))}</${name}>\n`;
  if (Array.isArray(value)) return value.map((v) => element(name, v, indent)).join('');
  const attrs: string[] = [];
  const children: string[] = [];
  let text: string | undefined;
  for (const [k, v] of Object.entries(value)) {
    if (k === '_content') text = String(v ?? '');
    else if (v !== null && typeof v === 'object') children.push(element(k, v, `${indent}\t`));
    else attrs.push(` ${k}="${escapeXml(String(v ?? ''))}"`);
  }
  const open = `${indent}<${name}${attrs.join('')}`;
  if (text !== undefined) return `${open}>${escapeXml(text)}</${name}>\n`;
  if (children.length === 0) return `${open} />\n`;
  return `${open}>\n${children.join('')}${indent}</${name}>\n`;
}

/** `<?xml …?><rsp stat="ok">…</rsp>`, the REST format and the upload API's only format. */
export function xmlDocument(body: Body | undefined, error?: FlickrError): string {
  const head = '<?xml version="1.0" encoding="utf-8" ?>\n';
  if (error) return `${head}<rsp stat="fail">\n\t<err code="${error.code}" msg="${escapeXml(error.message)}" />\n</rsp>\n`;
  const inner = Object.entries(body ?? {}).map(([k, v]) => element(k, v, '')).join('');
  return `${head}<rsp stat="ok">\n${inner}</rsp>\n`;
}

const XML = { 'Content-Type': 'text/xml; charset=utf-8' };

/** Answers in the format the caller asked for; errors are HTTP 200 with stat "fail", as Flickr sends them. */
export function restReply(format: string | undefined, noJsonCallback: boolean, body: Body | undefined, error?: FlickrError): Reply {
  if (format === 'json') {
    const json = JSON.stringify(error ? { stat: 'fail', code: error.code, message: error.message } : { ...body, stat: 'ok' });
    if (noJsonCallback) return { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: json };
    return { status: 200, headers: { 'Content-Type': 'text/javascript; charset=utf-8' }, body: `jsonFlickrApi(${json})` };
  }
  return { status: 200, headers: XML, body: xmlDocument(body, error) };
}

export function uploadReply(body: Body | undefined, error?: FlickrError): Reply {
  return { status: 200, headers: XML, body: xmlDocument(body, error) };
}
