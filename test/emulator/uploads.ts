import { createHash } from 'node:crypto';
import { bearerOf, liveAccessToken } from './auth';
import { ConnectionGone, type RequestContext } from './context';
import { ApiError, bareError, invalidArgument, RawError, type Reply } from './http';
import { randomId } from './ids';
import { MAX_PHOTO_BYTES, MAX_VIDEO_BYTES, isVideoMime } from './mime';
import { SCOPE } from './scopes';
import type { AccessTokenRecord, UploadSessionRecord } from './state';

export const CHUNK_GRANULARITY = 262_144;
const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;
const SESSION_LIFETIME_MS = 24 * 60 * 60 * 1000;
/** One request body kept in memory at most (a chunk or a raw upload). */
const MAX_REQUEST_BYTES = 256 * 1024 * 1024;

/** The uploads endpoint's bare 401 (not the usual envelope) — reference §2.3. */
function uploadAuthError(): RawError {
  return new RawError(401, { code: 16, message: 'Authentication session is not defined.' }, { 'WWW-Authenticate': 'Bearer realm="https://accounts.google.com/"' });
}

function authorizeUpload(ctx: RequestContext): AccessTokenRecord {
  const token = liveAccessToken(ctx.state, bearerOf(ctx.req, ctx.url));
  if (!token || !token.scopes.includes(SCOPE.appendOnly)) throw uploadAuthError();
  ctx.quota.chargeRequest(ctx.state.clients.get(token.clientId)?.projectNumber ?? '0');
  return token;
}

function storeUpload(ctx: RequestContext, token: { userSub: string; clientId: string }, bytes: Buffer, mimeType: string, fileName: string | undefined): string {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (!ctx.state.blobs.has(sha256)) ctx.state.blobs.set(sha256, bytes);
  const uploadToken = `CAIS${randomId(180)}`;
  const now = ctx.state.clock.now();
  ctx.state.uploadTokens.set(uploadToken, { token: uploadToken, userSub: token.userSub, clientId: token.clientId, sha256, mimeType, fileName, createdAt: now, expiresAt: now + TOKEN_LIFETIME_MS });
  return uploadToken;
}

function sizeLimit(mime: string | undefined): number {
  return mime && isVideoMime(mime) ? MAX_VIDEO_BYTES : MAX_PHOTO_BYTES;
}

function decodedFileName(ctx: RequestContext): string | undefined {
  const raw = ctx.header('x-goog-upload-file-name');
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

const REJECTED_TYPES = /^(application\/json|application\/x-www-form-urlencoded|multipart\/|text\/)/i;

/** POST {library}/v1/uploads — raw uploads, resumable starts, and resumable session URLs (?upload_id=). */
export async function uploads(ctx: RequestContext): Promise<Reply> {
  try {
    return await handleUploads(ctx);
  } catch (err) {
    throw err instanceof ApiError ? bareError(err) : err;
  }
}

async function handleUploads(ctx: RequestContext): Promise<Reply> {
  const uploadId = ctx.url.searchParams.get('upload_id');
  if (uploadId !== null) return sessionCommand(ctx, uploadId);
  const token = authorizeUpload(ctx);
  const protocol = (ctx.header('x-goog-upload-protocol') ?? 'raw').toLowerCase();
  const command = (ctx.header('x-goog-upload-command') ?? '').toLowerCase();
  const mimeType = ctx.header('x-goog-upload-content-type') ?? 'application/octet-stream';
  const fileName = decodedFileName(ctx);

  if (protocol === 'resumable') {
    if (command !== 'start') throw invalidArgument('X-Goog-Upload-Command must be "start" to begin a resumable upload.');
    const rawSizeHeader = ctx.header('x-goog-upload-raw-size');
    let rawSize: number | undefined;
    if (rawSizeHeader !== undefined) {
      rawSize = Number(rawSizeHeader);
      if (!Number.isInteger(rawSize) || rawSize < 0) throw invalidArgument('X-Goog-Upload-Raw-Size must be a non-negative integer.');
      if (rawSize > sizeLimit(mimeType)) throw invalidArgument(`The file is too large: the limit is ${sizeLimit(mimeType)} bytes for this type.`);
    }
    await ctx.bytes(1024 * 1024);
    const now = ctx.state.clock.now();
    const session: UploadSessionRecord = {
      id: `AFiumC${randomId(90)}`,
      userSub: token.userSub,
      clientId: token.clientId,
      rawSize,
      mimeType,
      fileName,
      chunks: [],
      received: 0,
      status: 'active',
      createdAt: now,
      expiresAt: now + SESSION_LIFETIME_MS,
    };
    ctx.state.uploadSessions.set(session.id, session);
    const url = `${ctx.origin}/photoslibrary/v1/uploads?upload_id=${session.id}&upload_protocol=resumable`;
    return {
      status: 200,
      headers: {
        'X-Goog-Upload-Status': 'active',
        'X-Goog-Upload-URL': url,
        'X-Goog-Upload-Control-URL': url,
        'X-Goog-Upload-Chunk-Granularity': String(CHUNK_GRANULARITY),
        'X-GUploader-UploadID': session.id,
      },
    };
  }
  if (protocol !== 'raw') throw invalidArgument(`Unsupported X-Goog-Upload-Protocol: ${protocol}`);
  const contentType = ctx.header('content-type') ?? '';
  if (REJECTED_TYPES.test(contentType)) throw invalidArgument(`Raw uploads must be sent as application/octet-stream, not ${contentType.split(';')[0]}.`);
  const body = await ctx.readBody(Math.min(sizeLimit(mimeType), MAX_REQUEST_BYTES));
  if (body.aborted) throw new ConnectionGone();
  if (body.tooLarge) throw invalidArgument(`The file is too large: the limit is ${sizeLimit(mimeType)} bytes for this type.`);
  if (body.bytes.length === 0) throw invalidArgument('The request body is empty: send the file bytes.');
  return { status: 200, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: storeUpload(ctx, token, body.bytes, mimeType, fileName) };
}

function statusHeaders(session: UploadSessionRecord): Record<string, string> {
  return { 'X-Goog-Upload-Status': session.status, 'X-Goog-Upload-Size-Received': String(session.received) };
}

function sessionError(status: number, message: string, session?: UploadSessionRecord): ApiError {
  const name = status === 404 ? 'NOT_FOUND' : status === 410 ? 'NOT_FOUND' : 'INVALID_ARGUMENT';
  return new ApiError(status, name, message, [], session ? statusHeaders(session) : {});
}

/** Commands on a resumable session URL: upload [, finalize], finalize, query, cancel. */
async function sessionCommand(ctx: RequestContext, uploadId: string): Promise<Reply> {
  const session = ctx.state.uploadSessions.get(uploadId);
  const now = ctx.state.clock.now();
  if (!session) throw sessionError(404, 'The upload session was not found.');
  if (session.expiresAt <= now && session.status === 'active') session.status = 'cancelled';
  ctx.quota.chargeRequest(ctx.state.clients.get(session.clientId)?.projectNumber ?? '0');
  const commands = (ctx.header('x-goog-upload-command') ?? '')
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  if (commands.length === 0) throw sessionError(400, 'X-Goog-Upload-Command header is required.', session);

  if (commands.includes('query')) {
    await ctx.bytes(0);
    const headers = statusHeaders(session);
    if (session.status === 'final' && session.uploadToken) return { status: 200, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }, body: session.uploadToken };
    return { status: 200, headers };
  }
  if (session.status === 'cancelled') {
    await ctx.readBody(0);
    throw sessionError(session.expiresAt <= now ? 410 : 400, session.expiresAt <= now ? 'The upload session has expired. Start a new upload.' : 'The upload session was cancelled.', session);
  }
  if (commands.includes('cancel')) {
    await ctx.readBody(0);
    session.status = 'cancelled';
    session.chunks = [];
    return { status: 200, headers: statusHeaders(session) };
  }
  if (session.status === 'final') {
    await ctx.readBody(0);
    throw sessionError(400, 'The upload session is already finalized.', session);
  }
  const upload = commands.includes('upload');
  const finalize = commands.includes('finalize');
  if (!upload && !finalize) throw sessionError(400, `Unsupported X-Goog-Upload-Command: ${commands.join(', ')}`, session);

  if (upload) {
    const offsetHeader = ctx.header('x-goog-upload-offset');
    const offset = offsetHeader === undefined ? (finalize && session.received === 0 ? 0 : NaN) : Number(offsetHeader);
    if (!Number.isInteger(offset) || offset !== session.received) {
      await ctx.readBody(0);
      throw sessionError(400, `Invalid X-Goog-Upload-Offset ${offsetHeader ?? '(missing)'}: the server has received ${session.received} bytes.`, session);
    }
    const limit = Math.min(MAX_REQUEST_BYTES, (session.rawSize ?? sizeLimit(session.mimeType)) - session.received);
    const body = await ctx.readBody(Math.max(0, limit));
    if (body.aborted) {
      // What arrived before the cut is kept up to the last whole granule, as Google persists it.
      const keep = Math.floor(body.bytes.length / CHUNK_GRANULARITY) * CHUNK_GRANULARITY;
      if (keep > 0) {
        session.chunks.push(body.bytes.subarray(0, keep));
        session.received += keep;
      }
      throw new ConnectionGone();
    }
    if (body.tooLarge) throw sessionError(400, 'The upload is larger than the X-Goog-Upload-Raw-Size declared at start.', session);
    if (!finalize && body.bytes.length % CHUNK_GRANULARITY !== 0) {
      throw sessionError(400, `Every chunk except the last must be a multiple of ${CHUNK_GRANULARITY} bytes (X-Goog-Upload-Chunk-Granularity).`, session);
    }
    session.chunks.push(body.bytes);
    session.received += body.bytes.length;
  } else {
    await ctx.readBody(0);
  }
  if (!finalize) return { status: 200, headers: statusHeaders(session) };
  if (session.rawSize !== undefined && session.received !== session.rawSize) {
    throw sessionError(400, `Cannot finalize: received ${session.received} of ${session.rawSize} bytes declared in X-Goog-Upload-Raw-Size.`, session);
  }
  if (session.received === 0) throw sessionError(400, 'Cannot finalize an empty upload.', session);
  const bytes = Buffer.concat(session.chunks);
  session.chunks = [];
  session.status = 'final';
  session.uploadToken = storeUpload(ctx, session, bytes, session.mimeType ?? 'application/octet-stream', session.fileName);
  return { status: 200, headers: { ...statusHeaders(session), 'Content-Type': 'text/plain; charset=utf-8' }, body: session.uploadToken };
}
