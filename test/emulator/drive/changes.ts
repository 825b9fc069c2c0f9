import type { RequestContext } from '../context';
import type { Reply } from '../http';
import type { DriveCaller } from './access';
import { visibleTo } from './access';
import { invalidValue, requiredParameter } from './errors';
import { selectFields } from './fields';
import type { DriveArgs } from './files';
import { fileJson } from './resource';
import type { ChangeRecord } from './state';

/** discovery mediaUpload.maxSize. */
const MAX_UPLOAD_SIZE = '5497558138880';

/** GET /drive/v3/about: Drive insists on `fields` here. */
export function aboutGet(ctx: RequestContext, caller: DriveCaller, { query }: DriveArgs): Reply {
  const fields = query.get('fields');
  if (!fields) throw requiredParameter('fields', "The 'fields' parameter is required for this method.");
  const user = ctx.state.user(caller.userSub);
  const usage = caller.drive.usage(caller.userSub);
  const body = {
    kind: 'drive#about',
    user: { kind: 'drive#user', displayName: user?.name ?? '', emailAddress: user?.email ?? '', me: true, permissionId: caller.userSub.slice(0, 20) },
    storageQuota: {
      limit: String(caller.drive.storageLimitBytes),
      usage: String(usage.total),
      usageInDrive: String(usage.total),
      usageInDriveTrash: String(usage.trash),
    },
    maxUploadSize: MAX_UPLOAD_SIZE,
    appInstalled: false,
    canCreateDrives: true,
    importFormats: {},
    exportFormats: {},
    maxImportSizes: {},
    folderColorPalette: ['#ac725e', '#d06b64', '#f83a22', '#fa573c', '#ff7537', '#ffad46'],
  };
  return { status: 200, body: selectFields(body, 'About', fields) };
}

/** GET /drive/v3/changes/startPageToken. */
export function startPageToken(_ctx: RequestContext, caller: DriveCaller, { query }: DriveArgs): Reply {
  const body = { kind: 'drive#startPageToken', startPageToken: String(caller.drive.nextChangeSeq()) };
  return { status: 200, body: selectFields(body, 'StartPageToken', query.get('fields')) };
}

function changeVisible(caller: DriveCaller, change: ChangeRecord): boolean {
  return change.userSub === caller.userSub && change.projectNumber === caller.app.projectNumber;
}

/**
 * GET /drive/v3/changes: what changed since pageToken for the files this app can see, the latest
 * state per file within a page; the last page carries newStartPageToken (manage-changes guide).
 */
export function listChanges(ctx: RequestContext, caller: DriveCaller, { query }: DriveArgs): Reply {
  const token = query.get('pageToken');
  if (!token) throw requiredParameter('pageToken', 'Required parameter: pageToken');
  const from = Number(token);
  if (!/^\d+$/.test(token) || from < 1 || from > caller.drive.nextChangeSeq()) throw invalidValue('pageToken');
  const pageSize = Number(query.get('pageSize') ?? 100);
  const includeRemoved = query.get('includeRemoved') !== 'false';
  const pending = caller.drive.changes.filter((c) => c.seq >= from && changeVisible(caller, c));
  const latest = new Map<string, ChangeRecord>();
  let next: number | undefined;
  for (const change of pending) {
    if (!latest.has(change.fileId) && latest.size >= pageSize) {
      next = change.seq;
      break;
    }
    latest.delete(change.fileId);
    latest.set(change.fileId, change);
  }
  const changes = [...latest.values()]
    .map((c) => {
      const file = caller.drive.files.get(c.fileId);
      const removed = c.removed || !file || !visibleTo(caller, file);
      const item: Record<string, unknown> = { kind: 'drive#change', type: 'file', changeType: 'file', time: new Date(c.time).toISOString(), removed, fileId: c.fileId };
      if (!removed && file) item.file = fileJson(ctx.state, caller, file);
      return item;
    })
    .filter((c) => includeRemoved || c.removed !== true);
  const body: Record<string, unknown> = { kind: 'drive#changeList', changes };
  if (next !== undefined) body.nextPageToken = String(next);
  else body.newStartPageToken = String(caller.drive.nextChangeSeq());
  return { status: 200, body: selectFields(body, 'ChangeList', query.get('fields')) };
}
