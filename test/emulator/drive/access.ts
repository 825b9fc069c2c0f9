import { authenticate, requireAnyScope } from '../auth';
import type { RequestContext } from '../context';
import { methodScopes } from './discovery';
import { fileNotFound, userRateLimitExceeded } from './errors';
import { driveState, type DriveApp, type DriveFileRecord, type DriveState } from './state';

export const DRIVE_SERVICE = 'drive.googleapis.com';

/** Who is calling: the user and the app (Cloud project) whose files drive.file lets it see. */
export interface DriveCaller {
  userSub: string;
  app: DriveApp;
  drive: DriveState;
}

const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** "files.list" → "google.apps.drive.v3.DriveFiles.List", the method name Google's errors carry. */
export function rpcName(method: string): string {
  const [resource, name] = method.split('.');
  return `google.apps.drive.v3.Drive${pascal(resource)}.${pascal(name)}`;
}

/** Google's order: credentials (401), scopes the method accepts (403), then the per-user rate limit (403). */
export function admitDrive(ctx: RequestContext, method: string): DriveCaller {
  const rpc = rpcName(method);
  const token = authenticate(ctx.state, ctx.req, ctx.url, DRIVE_SERVICE, rpc);
  requireAnyScope(token, methodScopes(method), DRIVE_SERVICE, rpc);
  const drive = driveState(ctx.state);
  if (!drive.chargeRequest(token.userSub)) throw userRateLimitExceeded();
  const projectNumber = ctx.state.clients.get(token.clientId)?.projectNumber ?? '0';
  return { userSub: token.userSub, app: { clientId: token.clientId, projectNumber }, drive };
}

/** drive.file: the app sees a file only if it created it (per Cloud project, the Drive app id), for this user. */
export function visibleTo(caller: DriveCaller, file: DriveFileRecord): boolean {
  return file.userSub === caller.userSub && file.app?.projectNumber === caller.app.projectNumber;
}

/** A file id from a request: the caller's own file, or 404 exactly as for an id that does not exist. */
export function fileFor(caller: DriveCaller, id: string): DriveFileRecord {
  const file = caller.drive.files.get(id);
  if (!file || !visibleTo(caller, file)) throw fileNotFound(id);
  return file;
}

/** Resolves "root" and the user's root id; any other id must be a folder the app can see. */
export function parentFor(caller: DriveCaller, id: string): string {
  const root = caller.drive.rootOf(caller.userSub);
  if (id === 'root' || id === root) return root;
  const folder = fileFor(caller, id);
  return folder.id;
}
