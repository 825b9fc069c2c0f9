// How Photo Sync's things look in Drive. A photo is a file whose appProperties (private to this app)
// hold its content key (sha256 of the bytes), so it is found again by content whatever the user
// renamed or moved it to; a copy in a second album folder names its origin, and is reported as that
// origin (one item, in several containers). The base folder and album folders carry their role.
import type { drive_v3 } from '@googleapis/drive';
import type { RemoteContainer, RemoteItem } from '../../sync/provider';

export const FOLDER_MIME = 'application/vnd.google-apps.folder';

/** appProperties keys (key + value stay under Drive's 124-byte limit). */
export const KEYS = {
  /** sha256 of the bytes, hex. */
  sha256: 'photoSyncSha256',
  /** On a copy made for another album: the id of the file it copies (the item's id). */
  origin: 'photoSyncOrigin',
  /** "base" or "album" on folders. */
  role: 'photoSyncRole',
} as const;

/** Fields asked for on every file: what a RemoteItem needs, where it is, and whether it is in the trash. */
export const FILE_FIELDS = 'id,name,mimeType,parents,trashed,size,md5Checksum,sha256Checksum,appProperties,createdTime,description,imageMediaMetadata(width,height,time,cameraMake,cameraModel),videoMediaMetadata(width,height)';
export const LIST_FIELDS = `nextPageToken,files(${FILE_FIELDS})`;
export const FOLDER_FIELDS = 'id,name,mimeType,parents,trashed,appProperties';

export type DriveFile = drive_v3.Schema$File;

/** A Drive query string literal: single quotes, `'` and `\` escaped with a backslash (search-files guide). */
export function quote(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function appProperty(key: string, value: string): string {
  return `appProperties has { key=${quote(key)} and value=${quote(value)} }`;
}

/** The item a Drive file stands for: itself, or the file it is a copy of. */
export function itemIdOf(file: DriveFile): string {
  return file.appProperties?.[KEYS.origin] ?? file.id ?? '';
}

/** The sha256 Drive reports for the stored bytes, else the content key we gave the file. */
export function sha256Of(file: DriveFile): string | undefined {
  return file.sha256Checksum ?? file.appProperties?.[KEYS.sha256] ?? undefined;
}

export function toRemoteItem(file: DriveFile): RemoteItem {
  const image = file.imageMediaMetadata;
  const video = file.videoMediaMetadata;
  return {
    id: itemIdOf(file),
    filename: file.name ?? '',
    mimeType: file.mimeType ?? 'application/octet-stream',
    creationTime: exifTimeToRfc3339(image?.time) ?? file.createdTime ?? undefined,
    description: file.description ?? undefined,
    width: image?.width ?? video?.width ?? undefined,
    height: image?.height ?? video?.height ?? undefined,
    cameraMake: image?.cameraMake ?? undefined,
    cameraModel: image?.cameraModel ?? undefined,
    checksum: file.sha256Checksum ?? undefined,
  };
}

export function toContainer(folder: DriveFile): RemoteContainer {
  return { id: folder.id ?? '', title: folder.name ?? '', writable: true };
}

/** Drive's imageMediaMetadata.time is EXIF's "YYYY:MM:DD HH:MM:SS" (no zone). */
function exifTimeToRfc3339(time: string | null | undefined): string | undefined {
  const m = time ? /^(\d{4}):(\d\d):(\d\d) (\d\d):(\d\d):(\d\d)$/.exec(time) : null;
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}` : undefined;
}

/** Every page of a files.list (Drive may answer short or empty pages with a token: follow it to the end). */
export async function* listAll(list: (pageToken: string | undefined) => Promise<drive_v3.Schema$FileList>): AsyncIterable<DriveFile> {
  let token: string | undefined;
  do {
    const page = await list(token);
    for (const f of page.files ?? []) yield f;
    token = page.nextPageToken ?? undefined;
  } while (token);
}
