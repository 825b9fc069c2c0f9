import type { RequestContext } from '../context';
import type { Reply } from '../http';
import type { Route, Service } from '../routes';
import { matchMethod, type BoundMethod, validateBody } from '../validate';
import { admitDrive } from './access';
import { aboutGet, listChanges, startPageToken } from './changes';
import { copyFile } from './copy';
import { DRIVE_DISCOVERY, DRIVE_METHODS } from './discovery';
import { DriveError, driveErrorReply, faultError } from './errors';
import { createMetadata, deleteOne, generateIds, getFile, listFiles, updateMetadata, type DriveHandler } from './files';
import { validateDriveQuery } from './params';
import { upload } from './uploads';

/** The Drive v3 methods a sync client uses (brief); the rest of the document answers 501. */
export const DRIVE_HANDLERS: Record<string, DriveHandler> = {
  'files.create': createMetadata,
  'files.copy': copyFile,
  'files.get': getFile,
  'files.list': listFiles,
  'files.update': updateMetadata,
  'files.delete': deleteOne,
  'files.generateIds': generateIds,
  'about.get': aboutGet,
  'changes.getStartPageToken': startPageToken,
  'changes.list': listChanges,
};

function notImplemented(name: string): DriveError {
  const message = `The Drive emulator does not implement ${name}.`;
  return new DriveError(501, message, [{ domain: 'global', reason: 'notImplemented', message }]);
}

async function handleMethod(ctx: RequestContext, bound: BoundMethod, pathParams: Record<string, string>): Promise<Reply> {
  const { name } = bound;
  const caller = admitDrive(ctx, name);
  const handler = DRIVE_HANDLERS[name];
  if (!handler) throw notImplemented(name);
  validateDriveQuery(name, ctx.url.searchParams);
  let body: Record<string, unknown> = {};
  const schema = bound.method.request?.$ref;
  if (schema) {
    body = await ctx.json();
    validateBody(DRIVE_DISCOVERY, schema, body);
  } else if (bound.method.httpMethod !== 'GET') {
    await ctx.bytes();
  }
  return handler(ctx, caller, { pathParams, query: ctx.url.searchParams, body });
}

function methodRoute(bound: BoundMethod, pathParams: Record<string, string>, url: URL | undefined): Route {
  // Downloads get their own name so faults and counts can tell them from metadata reads.
  const op = bound.name === 'files.get' && url?.searchParams.get('alt') === 'media' ? 'drive.media' : `drive.${bound.name}`;
  return { op, handle: (ctx) => handleMethod(ctx, bound, pathParams).catch(driveErrorReply) };
}

/** An injected `{"type":"status"}` fault on a Drive endpoint answers in Drive's envelope. */
function faultReply(fault: { status: number; reason?: string; message?: string; retryAfterSeconds?: number }): Reply {
  const err = faultError(fault.status, fault.reason, fault.message);
  const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { 'Retry-After': String(fault.retryAfterSeconds) } : {};
  return { status: err.httpStatus, headers, body: err.envelope() };
}

const metadataService: Service = {
  prefix: '/drive/v3',
  resolve: (method, path, url) => {
    const match = matchMethod(DRIVE_METHODS, method, path);
    return match ? methodRoute(match.bound, match.pathParams, url) : undefined;
  },
  faultReply,
};

/** /upload/drive/v3/files[/{fileId}] (and the discovery's /resumable/upload/… twin): one op, "drive.upload". */
function resolveUpload(method: string, path: string, url: URL | undefined): Route | undefined {
  const m = /^\/files(?:\/([^/]+))?$/.exec(path);
  if (!m) return undefined;
  const fileId = m[1] === undefined ? undefined : decodeURIComponent(m[1]);
  const allowed = url?.searchParams.has('upload_id') ? ['PUT', 'POST'] : fileId === undefined ? ['POST'] : ['PATCH', 'PUT'];
  if (!allowed.includes(method)) return undefined;
  return { op: 'drive.upload', handle: (ctx) => upload(ctx, fileId).catch(driveErrorReply) };
}

export const DRIVE_SERVICES: Service[] = [
  metadataService,
  { prefix: '/upload/drive/v3', resolve: resolveUpload, faultReply },
  { prefix: '/resumable/upload/drive/v3', resolve: resolveUpload, faultReply },
];
