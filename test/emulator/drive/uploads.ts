import { ConnectionGone, type RequestContext } from '../context';
import type { Reply } from '../http';
import { randomId } from '../ids';
import { validateBody } from '../validate';
import { admitDrive, fileFor, type DriveCaller } from './access';
import { DRIVE_DISCOVERY } from './discovery';
import { badContent, badRequest, DriveError, invalidParameter } from './errors';
import { fileReply } from './files';
import { parseMultipartRelated } from './multipart';
import { checkRequestedId, checkStorage, checkWritable, createFile, resolveParents, updateFile, type Content } from './mutate';
import { validateDriveQuery } from './params';
import { driveState, type ResumableSession } from './state';

/** Resumable chunks are multiples of this, except the last (X-Goog-Upload-Chunk-Granularity). */
export const CHUNK_GRANULARITY = 262_144;
/** "About one week" (brief, unverified for Drive): after that the session URI answers 404. */
export const SESSION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
/** One request body held in memory at most; larger files go resumable in chunks. */
const MAX_REQUEST_BYTES = 256 * 1024 * 1024;

function tooLarge(): DriveError {
  return new DriveError(413, 'Request Too Large', [
    { domain: 'global', reason: 'uploadTooLarge', message: `The Drive emulator holds at most ${MAX_REQUEST_BYTES} bytes per request; upload larger files resumably in chunks.` },
  ]);
}

async function wholeBody(ctx: RequestContext): Promise<Buffer> {
  const body = await ctx.readBody(MAX_REQUEST_BYTES);
  if (body.aborted) throw new ConnectionGone();
  if (body.tooLarge) throw tooLarge();
  return body.bytes;
}

/** The multipart body's two parts: File metadata (JSON), then the media. */
function multipartContent(contentType: string, bytes: Buffer): { metadata: Record<string, unknown>; content: Content } {
  const parts = parseMultipartRelated(contentType, bytes);
  if (parts.length !== 2) throw badContent(`A multipart upload has exactly two parts (metadata, media); this one has ${parts.length}.`);
  const [meta, media] = parts;
  if (!/^application\/json\b/i.test(meta.headers['content-type'] ?? '')) throw badContent('The first part of a multipart upload must be the JSON metadata (Content-Type: application/json).');
  let metadata: unknown;
  try {
    metadata = JSON.parse(meta.body.toString('utf8') || '{}');
  } catch {
    throw new DriveError(400, 'Parse Error', [{ domain: 'global', reason: 'parseError', message: 'Parse Error' }]);
  }
  validateBody(DRIVE_DISCOVERY, 'File', metadata);
  return { metadata: metadata as Record<string, unknown>, content: { bytes: media.body, mimeType: media.headers['content-type'] } };
}

/** Everything under /upload/drive/v3/files: simple and multipart uploads, resumable starts and session URIs. */
export async function upload(ctx: RequestContext, fileId: string | undefined): Promise<Reply> {
  const uploadId = ctx.url.searchParams.get('upload_id');
  if (uploadId !== null) return sessionRequest(ctx, uploadId);
  const method = fileId === undefined ? 'files.create' : 'files.update';
  const caller = admitDrive(ctx, method);
  const query = ctx.url.searchParams;
  validateDriveQuery(method, query);
  const type = query.get('uploadType');
  let metadata: Record<string, unknown> = {};
  let content: Content;
  if (type === 'media') {
    content = { bytes: await wholeBody(ctx), mimeType: ctx.header('content-type')?.split(';')[0].trim() };
  } else if (type === 'multipart') {
    ({ metadata, content } = multipartContent(ctx.header('content-type') ?? '', await wholeBody(ctx)));
  } else if (type === 'resumable') {
    return startSession(ctx, caller, fileId);
  } else {
    throw invalidParameter('uploadType', `Upload requests need uploadType=media, multipart or resumable${type === null ? '' : `, not "${type}"`}.`);
  }
  const file = fileId === undefined ? await createFile(caller, metadata, content) : await updateFile(caller, fileId, metadata, query, content);
  return fileReply(ctx, caller, file.id, query.get('fields'));
}

/** Step 1 of the resumable protocol: metadata in, session URI out (Location). Checks what it can up front. */
async function startSession(ctx: RequestContext, caller: DriveCaller, fileId: string | undefined): Promise<Reply> {
  const metadata = await ctx.json();
  validateBody(DRIVE_DISCOVERY, 'File', metadata);
  checkWritable(metadata, fileId === undefined ? 'create' : 'update');
  const lengthHeader = ctx.header('x-upload-content-length');
  const total = lengthHeader === undefined ? undefined : Number(lengthHeader);
  if (total !== undefined && !(Number.isInteger(total) && total >= 0)) throw badRequest(`Invalid X-Upload-Content-Length: ${lengthHeader}`);
  if (fileId === undefined) {
    checkRequestedId(caller.drive, caller.userSub, metadata.id);
    resolveParents(caller, metadata.parents);
  } else {
    fileFor(caller, fileId);
  }
  if (total !== undefined) checkStorage(caller.drive, caller.userSub, total);
  const now = caller.drive.now();
  const session: ResumableSession = {
    id: `AHVrFx${randomId(90)}`,
    userSub: caller.userSub,
    app: caller.app,
    kind: fileId === undefined ? 'create' : 'update',
    fileId,
    metadata,
    query: new URLSearchParams(ctx.url.searchParams),
    mimeType: ctx.header('x-upload-content-type'),
    total,
    chunks: [],
    received: 0,
    createdAt: now,
    expiresAt: now + SESSION_LIFETIME_MS,
  };
  caller.drive.sessions.set(session.id, session);
  const location = new URL(ctx.url.pathname, ctx.origin);
  for (const [k, v] of session.query) location.searchParams.append(k, v);
  location.searchParams.set('upload_id', session.id);
  return { status: 200, headers: { Location: location.toString(), 'X-GUploader-UploadID': session.id } };
}

function sessionGone(): DriveError {
  return new DriveError(404, 'Not Found', [{ domain: 'global', reason: 'notFound', message: 'Not Found' }]);
}

/** 308 Resume Incomplete; `Range` says what is stored (absent while nothing is). */
function incomplete(session: ResumableSession): Reply {
  const headers: Record<string, string> = { 'X-GUploader-UploadID': session.id };
  if (session.received > 0) headers.Range = `bytes=0-${session.received - 1}`;
  return { status: 308, headers };
}

function keep(session: ResumableSession, bytes: Buffer): void {
  if (bytes.length === 0) return;
  session.chunks.push(bytes);
  session.received += bytes.length;
}

/** Keeps the bytes of [start, start+bytes.length) beyond what is stored, up to absolute offset `upTo`. */
function persist(session: ResumableSession, start: number, bytes: Buffer, upTo: number): void {
  const from = session.received - start;
  const until = upTo - start;
  if (until > from) keep(session, bytes.subarray(from, until));
}

async function finish(ctx: RequestContext, session: ResumableSession): Promise<Reply> {
  const drive = driveState(ctx.state);
  const caller: DriveCaller = { userSub: session.userSub, app: session.app, drive };
  const content: Content = { bytes: Buffer.concat(session.chunks), mimeType: session.mimeType };
  const file =
    session.kind === 'create' ? await createFile(caller, session.metadata, content) : await updateFile(caller, session.fileId ?? '', session.metadata, session.query, content);
  session.resultId = file.id;
  session.chunks = [];
  return fileReply(ctx, caller, file.id, session.query.get('fields'));
}

const CONTENT_RANGE = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/i;

/** Steps 2–4: PUT chunks (Content-Range), status queries (bytes *\/total), the final chunk. */
async function sessionRequest(ctx: RequestContext, uploadId: string): Promise<Reply> {
  const drive = driveState(ctx.state);
  const session = drive.sessions.get(uploadId);
  if (!session || session.expiresAt <= drive.now()) throw sessionGone();
  if (session.resultId !== undefined) {
    await ctx.readBody(0);
    const caller: DriveCaller = { userSub: session.userSub, app: session.app, drive };
    if (!drive.files.has(session.resultId)) throw sessionGone();
    return fileReply(ctx, caller, session.resultId, session.query.get('fields'));
  }
  const header = ctx.header('content-range')?.trim();
  const m = header === undefined ? undefined : CONTENT_RANGE.exec(header);
  const refuse = async (message: string): Promise<never> => {
    await ctx.readBody(0);
    throw badRequest(message);
  };
  if (header !== undefined && !m) return refuse(`Invalid Content-Range header: "${header}".`);
  const declared = m && m[3] !== '*' ? Number(m[3]) : undefined;
  if (declared !== undefined && session.total !== undefined && declared !== session.total) {
    return refuse(`The Content-Range total ${declared} does not match the X-Upload-Content-Length ${session.total} given at the start.`);
  }
  const total = declared ?? session.total;
  if (m && m[1] === undefined) {
    // Status query: what is stored, or the file once everything is.
    if ((await ctx.bytes(0)).length > 0) throw badRequest('A status query (Content-Range: bytes */…) has an empty body.');
    if (total !== undefined && session.received === total) return finish(ctx, session);
    return incomplete(session);
  }
  const start = m ? Number(m[1]) : 0;
  const end = m ? Number(m[2]) : undefined;
  if (end !== undefined && end < start) return refuse(`Invalid Content-Range header: "${header}".`);
  if (start > session.received) {
    return refuse(`Invalid request. According to the Content-Range header, the upload offset is ${start} byte(s), which exceeds already uploaded size of ${session.received} byte(s).`);
  }
  const expected = end === undefined ? undefined : end - start + 1;
  if (expected !== undefined && expected > MAX_REQUEST_BYTES) return refuse(`Chunks are at most ${MAX_REQUEST_BYTES} bytes in the Drive emulator.`);
  const body = await ctx.readBody(expected ?? MAX_REQUEST_BYTES);
  if (body.aborted) {
    // Cut mid-chunk: what arrived is kept up to the last whole granule; the client asks where to resume.
    persist(session, start, body.bytes, Math.floor((start + body.bytes.length) / CHUNK_GRANULARITY) * CHUNK_GRANULARITY);
    throw new ConnectionGone();
  }
  if (body.tooLarge && expected === undefined) throw tooLarge();
  const length = expected ?? body.bytes.length;
  if (body.tooLarge || body.bytes.length !== length) throw badRequest(`The Content-Range says ${length} bytes but the request body has ${body.bytes.length}.`);
  const last = start + length;
  const final = m ? total !== undefined && last === total : true;
  if (total !== undefined && last > total) throw badRequest(`The chunk ends at byte ${last}, past the upload's total of ${total} bytes.`);
  if (!m && session.total !== undefined && length !== session.total) throw badRequest(`The body has ${length} bytes; X-Upload-Content-Length said ${session.total}.`);
  if (!final && length < CHUNK_GRANULARITY) {
    throw badRequest(
      `Invalid request. The number of bytes uploaded is required to be equal or greater than ${CHUNK_GRANULARITY}, except for the final request (it's recommended to be the exact multiple of ${CHUNK_GRANULARITY}). The received request contained ${length} bytes, which does not meet this requirement.`,
    );
  }
  // A non-final chunk is stored up to a granule boundary only, as Google's upload servers do; Range tells the rest.
  persist(session, start, body.bytes, final ? last : Math.floor(last / CHUNK_GRANULARITY) * CHUNK_GRANULARITY);
  if (final) return finish(ctx, session);
  return incomplete(session);
}
