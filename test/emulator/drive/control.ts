import type { RequestContext } from '../context';
import { invalidArgument, notFound, type Reply } from '../http';
import type { EmulatorState } from '../state';
import { deleteFile } from './mutate';
import { imageMetadata } from './resource';
import { driveState, FOLDER_MIME, newFileId, resetDrive, type DriveFileRecord, type DriveState } from './state';

/** Drive faults for `POST {control}/faults` (status/reset/latency faults use the shared ones with drive.* endpoints). */
export type DriveFaultSpec =
  | { type: 'driveStorage'; limitBytes: number }
  | { type: 'driveRateLimit'; perUserPerMinute: number }
  | { type: 'driveShortPages'; enabled: boolean };

export interface DriveStateFile {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  userSub: string;
  /** The app that created it; null = made by the user in Drive's web UI. */
  ownerApp: { clientId: string; projectNumber: string } | null;
  sha256: string | null;
  md5: string | null;
  size: number;
  /** Per app project number. */
  appProperties: Record<string, Record<string, string>>;
  properties: Record<string, string>;
  trashed: boolean;
  explicitlyTrashed: boolean;
  starred: boolean;
  createdTime: string;
  modifiedTime: string;
  version: number;
}

export interface DriveSnapshot {
  roots: Record<string, string>;
  files: DriveStateFile[];
  sessions: { id: string; kind: string; fileId: string | null; received: number; total: number | null; done: boolean; expiresAt: string }[];
  storage: { limitBytes: number; usage: Record<string, { total: number; trash: number }> };
  perUserPerMinute: number;
  shortPages: boolean;
  generatedIds: number;
  lastChange: number;
}

function fileEntry(drive: DriveState, f: DriveFileRecord): DriveStateFile {
  const blob = f.sha256 ? drive.blobs.get(f.sha256) : undefined;
  return {
    id: f.id,
    name: f.name,
    mimeType: f.mimeType,
    parents: [...f.parents],
    userSub: f.userSub,
    ownerApp: f.app ? { ...f.app } : null,
    sha256: blob?.digests.sha256 ?? null,
    md5: blob?.digests.md5 ?? null,
    size: blob?.bytes.length ?? 0,
    appProperties: Object.fromEntries(f.appProperties),
    properties: { ...f.properties },
    trashed: drive.isTrashed(f),
    explicitlyTrashed: f.explicitlyTrashed,
    starred: f.starred,
    createdTime: new Date(f.createdTime).toISOString(),
    modifiedTime: new Date(f.modifiedTime).toISOString(),
    version: f.version,
  };
}

/** The `drive` section of `GET {control}/state`. */
export function driveSnapshot(state: EmulatorState): DriveSnapshot {
  const drive = driveState(state);
  return {
    roots: Object.fromEntries(drive.roots),
    files: [...drive.files.values()].map((f) => fileEntry(drive, f)),
    sessions: [...drive.sessions.values()].map((s) => ({
      id: s.id,
      kind: s.kind,
      fileId: s.resultId ?? s.fileId ?? null,
      received: s.received,
      total: s.total ?? null,
      done: s.resultId !== undefined,
      expiresAt: new Date(s.expiresAt).toISOString(),
    })),
    storage: { limitBytes: drive.storageLimitBytes, usage: Object.fromEntries(state.users.map((u) => [u.sub, drive.usage(u.sub)])) },
    perUserPerMinute: drive.perUserPerMinute,
    shortPages: drive.shortPages,
    generatedIds: drive.generatedIds.size,
    lastChange: drive.nextChangeSeq() - 1,
  };
}

/** Handles the Drive fault types; undefined for any other type. */
export function applyDriveFault(state: EmulatorState, spec: { type: string }): unknown {
  const drive = driveState(state);
  if (spec.type === 'driveStorage') {
    const { limitBytes } = spec as Extract<DriveFaultSpec, { type: 'driveStorage' }>;
    if (!Number.isInteger(limitBytes) || limitBytes < 0) throw invalidArgument('driveStorage fault needs limitBytes >= 0');
    drive.storageLimitBytes = limitBytes;
    return { driveStorageLimitBytes: limitBytes };
  }
  if (spec.type === 'driveRateLimit') {
    const { perUserPerMinute } = spec as Extract<DriveFaultSpec, { type: 'driveRateLimit' }>;
    if (!Number.isInteger(perUserPerMinute) || perUserPerMinute < 0) throw invalidArgument('driveRateLimit fault needs perUserPerMinute >= 0');
    drive.perUserPerMinute = perUserPerMinute;
    return { drivePerUserPerMinute: perUserPerMinute };
  }
  if (spec.type === 'driveShortPages') {
    drive.shortPages = (spec as Extract<DriveFaultSpec, { type: 'driveShortPages' }>).enabled === true;
    return { driveShortPages: drive.shortPages };
  }
  return undefined;
}

export { resetDrive };

/** A parent named by the person at the web UI: "root", their root id, or one of their folders. */
function userFolder(drive: DriveState, userSub: string, id: unknown): string {
  if (typeof id !== 'string') throw invalidArgument('parent must be a folder id or "root"');
  const root = drive.rootOf(userSub);
  if (id === 'root' || id === root) return root;
  const folder = drive.files.get(id);
  if (!folder || folder.userSub !== userSub || folder.mimeType !== FOLDER_MIME) throw invalidArgument(`${id} is not a folder of this user`);
  return id;
}

/** The person acting in Drive's web UI on one of their files: rename, move, trash/untrash, star. */
function actOnFile(drive: DriveState, file: DriveFileRecord, body: Record<string, unknown>): void {
  const now = drive.now();
  if (body.parent !== undefined) {
    const parent = userFolder(drive, file.userSub, body.parent);
    if (parent === file.id || drive.descendants(file.id).some((d) => d.id === parent)) throw invalidArgument('cannot move a folder inside itself');
    file.parents = [parent];
    for (const d of drive.descendants(file.id)) drive.recordChange(d);
  }
  if (typeof body.name === 'string') {
    file.name = body.name;
    file.modifiedTime = now;
  }
  if (typeof body.starred === 'boolean') file.starred = body.starred;
  if (typeof body.trashed === 'boolean' && body.trashed !== file.explicitlyTrashed) {
    file.explicitlyTrashed = body.trashed;
    file.trashedTime = body.trashed ? now : undefined;
    for (const d of drive.descendants(file.id)) drive.recordChange(d);
  }
  file.version++;
  drive.recordChange(file);
}

/** The person uploads or makes a folder in the web UI: no app created it, so drive.file apps never see it. */
async function createAsUser(state: EmulatorState, drive: DriveState, body: Record<string, unknown>): Promise<DriveFileRecord> {
  const user = typeof body.account === 'string' ? state.userByEmail(body.account) : state.users[0];
  if (!user) throw invalidArgument(`no test account ${String(body.account)}`);
  if (typeof body.name !== 'string' || body.name === '') throw invalidArgument('name is required');
  const mimeType = typeof body.mimeType === 'string' ? body.mimeType : 'application/octet-stream';
  const bytes = mimeType === FOLDER_MIME ? undefined : Buffer.from(typeof body.contentBase64 === 'string' ? body.contentBase64 : '', 'base64');
  const now = drive.now();
  const file: DriveFileRecord = {
    id: newFileId(),
    userSub: user.sub,
    name: body.name,
    mimeType,
    parents: [userFolder(drive, user.sub, body.parent ?? 'root')],
    starred: false,
    appProperties: new Map(),
    properties: {},
    sha256: bytes ? drive.putBlob(bytes) : undefined,
    image: bytes ? await imageMetadata(bytes, mimeType) : undefined,
    originalFilename: bytes ? body.name : undefined,
    createdTime: now,
    modifiedTime: now,
    explicitlyTrashed: false,
    version: 1,
  };
  drive.files.set(file.id, file);
  drive.recordChange(file);
  return file;
}

/** `{control}/drive/…`; undefined when the path is not Drive's. */
export async function driveControl(ctx: RequestContext, state: EmulatorState): Promise<Reply | undefined> {
  const drive = driveState(state);
  const { method, path } = ctx;
  if (method === 'POST' && path === '/drive/files') {
    const file = await createAsUser(state, drive, await ctx.json());
    return { status: 200, body: { file: fileEntry(drive, file) } };
  }
  const m = /^\/drive\/files\/([^/]+)$/.exec(path);
  if (!m) return undefined;
  const file = drive.files.get(decodeURIComponent(m[1]));
  if (!file) throw notFound(`No Drive file ${m[1]}`);
  if (method === 'POST') {
    actOnFile(drive, file, await ctx.json());
    return { status: 200, body: { file: fileEntry(drive, file) } };
  }
  if (method === 'DELETE') {
    const gone = [file.id, ...drive.descendants(file.id).map((d) => d.id)];
    deleteFile(drive, file);
    return { status: 200, body: { deleted: gone } };
  }
  return undefined;
}
