import type { DriveCaller } from './access';
import { fileFor, parentFor } from './access';
import { OUTPUT_ONLY_FILE_FIELDS } from './discovery';
import { badRequest, cannotAddParent, fieldNotWritable, fileIdInUse, fileIdNotUsable, invalidValue, storageQuotaExceeded } from './errors';
import { imageMetadata, isGoogleType } from './resource';
import { FOLDER_MIME, newFileId, type DriveFileRecord, type DriveState } from './state';

/** Bytes that come with a create/update (media, multipart or a finished resumable session). */
export interface Content {
  bytes: Buffer;
  /** Content-Type of the media; the metadata's mimeType wins when both are given. */
  mimeType?: string;
}

const MAX_PROPERTIES_PER_APP = 30;
const MAX_PROPERTY_BYTES = 124;

/** Output-only fields are 403 fieldNotWritable; `parents` only changes through addParents/removeParents. */
export function checkWritable(body: Record<string, unknown>, mode: 'create' | 'update'): void {
  if (mode === 'update' && 'parents' in body) {
    throw fieldNotWritable('The parents field is not directly writable in update requests. Use the addParents and removeParents parameters instead.');
  }
  const blocked = Object.keys(body).filter((k) => OUTPUT_ONLY_FILE_FIELDS.has(k) || (mode === 'update' && k === 'id'));
  if (blocked.length > 0) throw fieldNotWritable();
}

/** appProperties/properties: strings only, null removes a key, 124 bytes per key+value, 30 per app. */
function mergeProperties(current: Record<string, string>, value: unknown, field: string): Record<string, string> {
  if (value === undefined || value === null) return current;
  const out = { ...current };
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (v === null) {
      delete out[key];
      continue;
    }
    if (typeof v !== 'string') throw invalidValue(`${field}.${key}`, `Invalid value for ${field}.${key}: expected a string.`);
    if (Buffer.byteLength(key + v, 'utf8') > MAX_PROPERTY_BYTES) {
      throw badRequest(`The size of the property ${key} exceeds the ${MAX_PROPERTY_BYTES} bytes limit for key and value.`);
    }
    out[key] = v;
  }
  if (Object.keys(out).length > MAX_PROPERTIES_PER_APP) throw badRequest(`The number of ${field} exceeds the limit of ${MAX_PROPERTIES_PER_APP}.`);
  return out;
}

function timeField(body: Record<string, unknown>, name: string): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  const ms = typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) throw invalidValue(name, `Invalid value for ${name}: ${String(v)}`);
  return ms;
}

function str(body: Record<string, unknown>, name: string): string | undefined {
  const v = body[name];
  return typeof v === 'string' ? v : undefined;
}

/** Over the storage limit → 403 storageQuotaExceeded (trash counts, as in Drive). */
export function checkStorage(drive: DriveState, userSub: string, addBytes: number): void {
  if (addBytes > 0 && drive.usage(userSub).total + addBytes > drive.storageLimitBytes) throw storageQuotaExceeded();
}

/** An id from generateIds: 409 once a file has it, 400 when it was never handed out to this user. */
export function checkRequestedId(drive: DriveState, userSub: string, id: unknown): void {
  if (id === undefined || id === null) return;
  if (typeof id !== 'string') throw fileIdNotUsable();
  if (drive.files.has(id)) throw fileIdInUse();
  if (drive.generatedIds.get(id) !== userSub) throw fileIdNotUsable();
}

/** Resolves `parents` of a create (default: My Drive); one parent at most, and it must be a folder the app sees. */
export function resolveParents(caller: DriveCaller, parents: unknown): string[] {
  if (parents === undefined || parents === null) return [caller.drive.rootOf(caller.userSub)];
  const list = parents as string[];
  if (list.length > 1) throw cannotAddParent();
  if (list.length === 0) return [caller.drive.rootOf(caller.userSub)];
  const id = parentFor(caller, list[0]);
  const folder = caller.drive.files.get(id);
  if (folder && folder.mimeType !== FOLDER_MIME) throw badRequest(`The specified parent ${list[0]} is not a folder.`);
  return [id];
}

function checkContentType(mimeType: string, content: Content | undefined): void {
  if (!content) return;
  if (mimeType === FOLDER_MIME) throw badRequest('A folder cannot have content.');
  // Uploading into a Google type means converting; the emulator stores bytes only.
  if (isGoogleType(mimeType)) throw badRequest(`The Drive emulator does not convert uploads to ${mimeType}; upload with the file's own MIME type.`);
}

/** files.create: checks everything before the first change, so a refused create leaves no trace. */
export async function createFile(caller: DriveCaller, body: Record<string, unknown>, content?: Content): Promise<DriveFileRecord> {
  const { drive } = caller;
  checkWritable(body, 'create');
  const mimeType = str(body, 'mimeType') ?? content?.mimeType ?? 'application/octet-stream';
  checkContentType(mimeType, content);
  // A binary file created from metadata alone holds zero bytes (and has their checksums).
  const bytes = content?.bytes ?? (mimeType === FOLDER_MIME || isGoogleType(mimeType) ? undefined : Buffer.alloc(0));
  const image = bytes ? await imageMetadata(bytes, mimeType) : undefined;
  // No await below: the checks and the insert happen in one turn, so two racing creates of one id cannot both win.
  checkRequestedId(drive, caller.userSub, body.id);
  const parents = resolveParents(caller, body.parents);
  checkStorage(drive, caller.userSub, bytes?.length ?? 0);
  const now = drive.now();
  const appProps = mergeProperties({}, body.appProperties, 'appProperties');
  const file: DriveFileRecord = {
    id: typeof body.id === 'string' ? body.id : newFileId(),
    userSub: caller.userSub,
    app: caller.app,
    name: str(body, 'name') ?? 'Untitled',
    mimeType,
    parents,
    description: str(body, 'description'),
    starred: body.starred === true,
    appProperties: new Map(Object.keys(appProps).length > 0 ? [[caller.app.projectNumber, appProps]] : []),
    properties: mergeProperties({}, body.properties, 'properties'),
    sha256: bytes ? drive.putBlob(bytes) : undefined,
    originalFilename: str(body, 'originalFilename') ?? (content ? str(body, 'name') : undefined),
    image,
    createdTime: timeField(body, 'createdTime') ?? now,
    modifiedTime: timeField(body, 'modifiedTime') ?? now,
    explicitlyTrashed: body.trashed === true,
    trashedTime: body.trashed === true ? now : undefined,
    version: 1,
  };
  drive.generatedIds.delete(file.id);
  drive.files.set(file.id, file);
  drive.recordChange(file);
  return file;
}

function commaList(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** New parents after addParents/removeParents; still one at most, and never inside itself. */
function moveParents(caller: DriveCaller, file: DriveFileRecord, query: URLSearchParams): string[] | undefined {
  const add = commaList(query.get('addParents'));
  const remove = commaList(query.get('removeParents'));
  if (add.length === 0 && remove.length === 0) return undefined;
  const root = caller.drive.rootOf(caller.userSub);
  const removeIds = new Set(remove.map((id) => (id === 'root' ? root : id)));
  const next = file.parents.filter((p) => !removeIds.has(p));
  for (const id of add.map((a) => parentFor(caller, a))) {
    const folder = caller.drive.files.get(id);
    if (folder && folder.mimeType !== FOLDER_MIME) throw badRequest(`The specified parent ${id} is not a folder.`);
    if (id === file.id || caller.drive.descendants(file.id).some((d) => d.id === id)) throw badRequest('The move would put a folder inside itself.');
    if (!next.includes(id)) next.push(id);
  }
  if (next.length > 1) throw cannotAddParent();
  return next;
}

/** files.update (metadata, parents, trash, and new content for media updates). */
export async function updateFile(caller: DriveCaller, fileId: string, body: Record<string, unknown>, query: URLSearchParams, content?: Content): Promise<DriveFileRecord> {
  const { drive } = caller;
  checkWritable(body, 'update');
  const current = fileFor(caller, fileId);
  const mimeType = str(body, 'mimeType') ?? current.mimeType;
  if ((mimeType === FOLDER_MIME) !== (current.mimeType === FOLDER_MIME)) throw badRequest('A file cannot become a folder or a folder a file.');
  checkContentType(mimeType, content);
  const image = content ? await imageMetadata(content.bytes, mimeType) : undefined;
  const file = fileFor(caller, fileId);
  const parents = moveParents(caller, file, query);
  if (content) checkStorage(drive, caller.userSub, content.bytes.length - drive.sizeOf(file));
  const now = drive.now();
  const appProps = mergeProperties(file.appProperties.get(caller.app.projectNumber) ?? {}, body.appProperties, 'appProperties');
  const properties = mergeProperties(file.properties, body.properties, 'properties');
  const modified = timeField(body, 'modifiedTime');
  // Everything checked: apply.
  if (parents) file.parents = parents;
  if (Object.keys(appProps).length > 0) file.appProperties.set(caller.app.projectNumber, appProps);
  else file.appProperties.delete(caller.app.projectNumber);
  file.properties = properties;
  file.mimeType = mimeType;
  if (typeof body.name === 'string') file.name = body.name;
  if ('description' in body) file.description = str(body, 'description');
  if (typeof body.starred === 'boolean') file.starred = body.starred;
  if (typeof body.originalFilename === 'string') file.originalFilename = body.originalFilename;
  if (typeof body.trashed === 'boolean' && body.trashed !== file.explicitlyTrashed) {
    file.explicitlyTrashed = body.trashed;
    file.trashedTime = body.trashed ? now : undefined;
    for (const d of drive.descendants(file.id)) drive.recordChange(d);
  }
  if (content) {
    file.sha256 = drive.putBlob(content.bytes);
    file.image = image;
    drive.collectBlobs();
  }
  file.modifiedTime = modified ?? (content || 'name' in body || 'description' in body || 'appProperties' in body ? now : file.modifiedTime);
  file.version++;
  drive.recordChange(file);
  return file;
}

/** files.delete: permanent, with everything below a folder (delete guide). */
export function deleteFile(drive: DriveState, file: DriveFileRecord): void {
  for (const f of [file, ...drive.descendants(file.id)]) {
    drive.files.delete(f.id);
    drive.recordChange(f, true);
  }
  drive.collectBlobs();
}
