import type { RequestContext } from '../context';
import { ConnectionGone } from '../context';
import { baseStringUri, type Param } from './signature';

export interface UploadedFile {
  filename: string;
  type: string;
  bytes: Buffer;
}

/** What Flickr reads from a request: query and body parameters (never the Authorization header). */
export interface FlickrRequest {
  method: string;
  /** Query, form-urlencoded body and multipart text fields, decoded, in order. */
  params: Param[];
  /** Multipart file parts by field name (excluded from the signature). */
  files: Map<string, UploadedFile>;
  /** Base string URIs a signature may cover: the URL as requested, and the Flickr URL it stands for. */
  baseUris: string[];
  tooLarge: boolean;
}

/** application/x-www-form-urlencoded decoding (RFC 5849 §3.4.1.3.1): "+" is a space, %XX is UTF-8. */
export function formParams(text: string): Param[] {
  return [...new URLSearchParams(text)];
}

export function param(req: FlickrRequest, name: string): string | undefined {
  return req.params.find(([k]) => k === name)?.[1];
}

/**
 * Reads the request the way Flickr's PHP front end does: the query and a form-urlencoded body are
 * decoded as application/x-www-form-urlencoded ("+" is a space), multipart text fields become
 * parameters and file parts become files. The Authorization header is ignored, as on Flickr.
 */
export async function readFlickrRequest(ctx: RequestContext, flickrHost: string, maxBytes: number): Promise<FlickrRequest> {
  const rawTarget = ctx.req.url ?? '/';
  const q = rawTarget.indexOf('?');
  const rawPath = q < 0 ? rawTarget : rawTarget.slice(0, q);
  const params: Param[] = formParams(q < 0 ? '' : rawTarget.slice(q + 1));
  const files = new Map<string, UploadedFile>();

  const body = await ctx.readBody(maxBytes);
  if (body.aborted) throw new ConnectionGone();
  const type = (ctx.header('content-type') ?? '').toLowerCase();
  if (!body.tooLarge && body.bytes.length > 0) {
    if (type.startsWith('application/x-www-form-urlencoded')) {
      params.push(...formParams(body.bytes.toString('utf8')));
    } else if (type.startsWith('multipart/form-data')) {
      await readMultipart(body.bytes, ctx.header('content-type') ?? '', params, files);
    }
  }

  const host = ctx.header('host') ?? new URL(ctx.origin).host;
  const below = ctx.path;
  const baseUris = [baseStringUri(`http://${host}${rawPath}`), baseStringUri(`https://${flickrHost}${below}`)];
  return { method: ctx.method, params, files, baseUris, tooLarge: body.tooLarge };
}

/** undici's multipart parser (Node's built-in fetch): a part with a filename is a file, others are fields. */
async function readMultipart(bytes: Buffer, contentType: string, params: Param[], files: Map<string, UploadedFile>): Promise<void> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(bytes), { headers: { 'content-type': contentType } }).formData();
  } catch {
    return; // unparseable: no fields and no photo, which Flickr answers as "No photo specified"
  }
  const parts: [string, FormDataEntryValue][] = [];
  form.forEach((value, name) => parts.push([name, value]));
  for (const [name, value] of parts) {
    if (typeof value === 'string') params.push([name, value]);
    else if (!files.has(name)) files.set(name, { filename: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
  }
}
