import parseRange from 'range-parser';
import type { RequestContext } from '../context';
import type { Reply } from '../http';
import { fileFor, type DriveCaller, visibleTo } from './access';
import { DriveError, fileNotDownloadable, invalidParameter, invalidValue } from './errors';
import { selectFields } from './fields';
import { createFile, deleteFile, updateFile } from './mutate';
import { orderComparator, queryPredicate } from './query';
import { fileJson, isGoogleType } from './resource';
import { FOLDER_MIME, newFileId } from './state';

export interface DriveArgs {
  pathParams: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
}

export type DriveHandler = (ctx: RequestContext, caller: DriveCaller, args: DriveArgs) => Reply | Promise<Reply>;

/** A File answer with the request's `fields` applied. */
export function fileReply(ctx: RequestContext, caller: DriveCaller, id: string, fields: string | null): Reply {
  const file = caller.drive.files.get(id);
  if (!file) throw new Error(`file ${id} vanished`);
  return { status: 200, body: selectFields(fileJson(ctx.state, caller, file), 'File', fields) };
}

/** Uploads of content belong on /upload/…; Drive says so instead of storing metadata only. */
function refuseUploadType(ctx: RequestContext, query: URLSearchParams): void {
  const type = query.get('uploadType');
  if (type === 'media' || type === 'multipart' || type === 'resumable') {
    throw new DriveError(400, `Uploads must be sent to the upload URL. Re-send this request to ${ctx.origin}/upload${ctx.url.pathname}?uploadType=${type}`, [
      { domain: 'global', reason: 'wrongUrlForUpload', message: `Uploads must be sent to the upload URL. Re-send this request to ${ctx.origin}/upload${ctx.url.pathname}?uploadType=${type}` },
    ]);
  }
}

/** POST /drive/v3/files: metadata only (folders, empty files). */
export async function createMetadata(ctx: RequestContext, caller: DriveCaller, { query, body }: DriveArgs): Promise<Reply> {
  refuseUploadType(ctx, query);
  const file = await createFile(caller, body);
  return fileReply(ctx, caller, file.id, query.get('fields'));
}

/** PATCH /drive/v3/files/{fileId}: metadata, trash, addParents/removeParents. */
export async function updateMetadata(ctx: RequestContext, caller: DriveCaller, { pathParams, query, body }: DriveArgs): Promise<Reply> {
  refuseUploadType(ctx, query);
  const file = await updateFile(caller, pathParams.fileId, body, query);
  return fileReply(ctx, caller, file.id, query.get('fields'));
}

export function deleteOne(_ctx: RequestContext, caller: DriveCaller, { pathParams }: DriveArgs): Reply {
  deleteFile(caller.drive, fileFor(caller, pathParams.fileId));
  return { status: 204 };
}

/** GET /drive/v3/files/{fileId}: metadata, or the bytes with alt=media (Range → 206). */
export function getFile(ctx: RequestContext, caller: DriveCaller, { pathParams, query }: DriveArgs): Reply {
  const id = pathParams.fileId;
  const root = caller.drive.rootOf(caller.userSub);
  if ((id === 'root' || id === root) && query.get('alt') !== 'media') {
    const json = { kind: 'drive#file', id: root, name: 'My Drive', mimeType: FOLDER_MIME, trashed: false };
    return { status: 200, body: selectFields(json, 'File', query.get('fields')) };
  }
  const file = fileFor(caller, id);
  if (query.get('alt') !== 'media') return fileReply(ctx, caller, file.id, query.get('fields'));
  const bytes = caller.drive.bytesOf(file);
  if (!bytes || file.mimeType === FOLDER_MIME || isGoogleType(file.mimeType)) throw fileNotDownloadable();
  const headers: Record<string, string> = { 'Content-Type': file.mimeType };
  const range = ctx.header('range');
  if (range) {
    const parsed = parseRange(bytes.length, range, { combine: true });
    if (parsed === -1) {
      const err = new DriveError(416, 'Request range not satisfiable', [{ domain: 'global', reason: 'requestedRangeNotSatisfiable', message: 'Request range not satisfiable' }], {}, {
        'Content-Range': `bytes */${bytes.length}`,
      });
      throw err;
    }
    // A malformed header or several ranges: the whole file, as HTTP allows.
    if (parsed !== -2 && parsed.type === 'bytes' && parsed.length === 1) {
      const { start, end } = parsed[0];
      return { status: 206, headers: { ...headers, 'Content-Range': `bytes ${start}-${end}/${bytes.length}` }, body: bytes.subarray(start, end + 1) };
    }
  }
  return { status: 200, headers, body: bytes };
}

interface ListCursor {
  o: number;
  f: string;
}

/** GET /drive/v3/files: the app's files filtered by q, ordered, in pages. */
export function listFiles(ctx: RequestContext, caller: DriveCaller, { query }: DriveArgs): Reply {
  const spaces = (query.get('spaces') ?? 'drive').split(',').map((s) => s.trim());
  if (spaces.includes('appDataFolder')) {
    throw new DriveError(403, 'The granted scopes do not give access to all of the requested spaces.', [
      { domain: 'global', reason: 'insufficientScopes', message: 'The granted scopes do not give access to all of the requested spaces.', location: 'spaces', locationType: 'parameter' },
    ]);
  }
  if (spaces.some((s) => s !== 'drive')) throw invalidValue('spaces');
  const corpora = query.get('corpora') ?? 'user';
  if (corpora !== 'user') throw invalidParameter('corpora', `Invalid Value (the Drive emulator serves corpora=user only, not "${corpora}")`);
  const matches = queryPredicate(caller, query.get('q'));
  const order = orderComparator(caller, query.get('orderBy'));
  const all = [...caller.drive.files.values()].filter((f) => visibleTo(caller, f) && matches(f)).sort(order);
  const size = Number(query.get('pageSize') ?? 100);
  // The cursor is bound to the query that made it, as Google's are.
  const fingerprint = JSON.stringify([query.get('q'), query.get('orderBy'), query.get('spaces'), size]);
  let offset = 0;
  const token = query.get('pageToken');
  if (token) {
    try {
      const cursor = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ListCursor;
      if (cursor.f !== fingerprint || !Number.isInteger(cursor.o) || cursor.o < 0) throw new Error('foreign token');
      offset = cursor.o;
    } catch {
      throw invalidValue('pageToken');
    }
  }
  const take = caller.drive.shortPages ? (token ? Math.ceil(size / 2) : 0) : size;
  const page = all.slice(offset, offset + take);
  const body: Record<string, unknown> = { kind: 'drive#fileList', incompleteSearch: false, files: page.map((f) => fileJson(ctx.state, caller, f)) };
  if (offset + take < all.length) body.nextPageToken = Buffer.from(JSON.stringify({ o: offset + take, f: fingerprint } satisfies ListCursor)).toString('base64url');
  return { status: 200, body: selectFields(body, 'FileList', query.get('fields')) };
}

/** GET /drive/v3/files/generateIds: ids a later files.create may claim (once). */
export function generateIds(_ctx: RequestContext, caller: DriveCaller, { query }: DriveArgs): Reply {
  const space = query.get('space') ?? 'drive';
  if (space === 'appDataFolder') throw invalidParameter('space', 'The granted scopes do not give access to the appDataFolder space.');
  const count = Number(query.get('count') ?? 10);
  const ids = Array.from({ length: count }, () => newFileId());
  for (const id of ids) caller.drive.generatedIds.set(id, caller.userSub);
  const body = { kind: 'drive#generatedIds', space, ids };
  return { status: 200, body: selectFields(body, 'GeneratedIds', query.get('fields')) };
}
