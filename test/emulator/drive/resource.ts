import path from 'node:path';
import exifr from 'exifr';
import { dimensionsOf as imageSize } from '../media-probe';
import type { EmulatorState } from '../state';
import type { DriveCaller } from './access';
import { FOLDER_MIME, type DriveFileRecord } from './state';

const rfc3339 = (ms: number): string => new Date(ms).toISOString();

export const isGoogleType = (mime: string): boolean => mime.startsWith('application/vnd.google-apps.');

/** Drive's imageMediaMetadata basics for JPEG/PNG: size, EXIF time ("YYYY:MM:DD HH:MM:SS"), camera, location. */
export async function imageMetadata(bytes: Buffer, mimeType: string): Promise<Record<string, unknown> | undefined> {
  if (!/^image\/(jpeg|png)$/.test(mimeType)) return undefined;
  const { width, height } = imageSize(bytes);
  if (width === 0) return undefined;
  const meta: Record<string, unknown> = { width, height, rotation: 0 };
  let tags: Record<string, unknown> | undefined;
  try {
    tags = (await exifr.parse(bytes, { gps: true, reviveValues: false, translateValues: false })) as Record<string, unknown> | undefined;
  } catch {
    tags = undefined;
  }
  if (!tags) return meta;
  const time = tags.DateTimeOriginal ?? tags.CreateDate;
  if (typeof time === 'string') meta.time = time;
  if (typeof tags.Make === 'string') meta.cameraMake = tags.Make;
  if (typeof tags.Model === 'string') meta.cameraModel = tags.Model;
  if (typeof tags.ExposureTime === 'number') meta.exposureTime = tags.ExposureTime;
  if (typeof tags.FNumber === 'number') meta.aperture = tags.FNumber;
  if (typeof tags.FocalLength === 'number') meta.focalLength = tags.FocalLength;
  if (typeof tags.ISO === 'number') meta.isoSpeed = Math.round(tags.ISO);
  if (typeof tags.latitude === 'number' && typeof tags.longitude === 'number') meta.location = { latitude: tags.latitude, longitude: tags.longitude };
  return meta;
}

function owner(state: EmulatorState, userSub: string): Record<string, unknown> {
  const user = state.user(userSub);
  return { kind: 'drive#user', displayName: user?.name ?? '', emailAddress: user?.email ?? '', me: true, permissionId: userSub.slice(0, 20) };
}

/** The whole File resource as the caller may see it; `fields` picks from this. */
export function fileJson(state: EmulatorState, caller: DriveCaller, file: DriveFileRecord): Record<string, unknown> {
  const drive = caller.drive;
  const folder = file.mimeType === FOLDER_MIME;
  const trashed = drive.isTrashed(file);
  const json: Record<string, unknown> = {
    kind: 'drive#file',
    id: file.id,
    name: file.name,
    mimeType: file.mimeType,
    starred: file.starred,
    trashed,
    explicitlyTrashed: file.explicitlyTrashed,
    spaces: ['drive'],
    version: String(file.version),
    webViewLink: folder ? `https://drive.google.com/drive/folders/${file.id}` : `https://drive.google.com/file/d/${file.id}/view?usp=drivesdk`,
    iconLink: `https://drive-thirdparty.googleusercontent.com/16/type/${file.mimeType}`,
    hasThumbnail: false,
    thumbnailVersion: '0',
    viewedByMe: true,
    createdTime: rfc3339(file.createdTime),
    modifiedTime: rfc3339(file.modifiedTime),
    modifiedByMeTime: rfc3339(file.modifiedTime),
    modifiedByMe: true,
    owners: [owner(state, file.userSub)],
    lastModifyingUser: owner(state, file.userSub),
    shared: false,
    ownedByMe: true,
    isAppAuthorized: file.app?.projectNumber === caller.app.projectNumber,
    writersCanShare: true,
    copyRequiresWriterPermission: false,
    viewersCanCopyContent: true,
    quotaBytesUsed: String(drive.sizeOf(file)),
    capabilities: {
      canEdit: true,
      canRename: true,
      canTrash: true,
      canUntrash: true,
      canDelete: true,
      canDownload: !folder && !isGoogleType(file.mimeType),
      canAddChildren: folder,
      canListChildren: folder,
      canRemoveChildren: folder,
      canMoveItemWithinDrive: true,
    },
  };
  if (file.parents.length > 0) json.parents = [...file.parents];
  if (file.description !== undefined) json.description = file.description;
  const appProps = file.appProperties.get(caller.app.projectNumber);
  if (appProps && Object.keys(appProps).length > 0) json.appProperties = { ...appProps };
  if (Object.keys(file.properties).length > 0) json.properties = { ...file.properties };
  if (file.explicitlyTrashed && file.trashedTime !== undefined) json.trashingUser = owner(state, file.userSub);
  const blob = file.sha256 ? drive.blobs.get(file.sha256) : undefined;
  if (blob) {
    // Checksums and size exist only for content stored in Drive (File schema).
    json.size = String(blob.bytes.length);
    json.md5Checksum = blob.digests.md5;
    json.sha1Checksum = blob.digests.sha1;
    json.sha256Checksum = blob.digests.sha256;
    json.headRevisionId = `0B${blob.digests.md5.slice(0, 30)}`;
    json.webContentLink = `https://drive.google.com/uc?id=${file.id}&export=download`;
    if (file.originalFilename !== undefined) json.originalFilename = file.originalFilename;
    const ext = path.extname(file.name);
    if (ext) {
      json.fileExtension = ext.slice(1);
      json.fullFileExtension = file.name.slice(file.name.indexOf('.') + 1);
    }
    if (file.image) json.imageMediaMetadata = file.image;
  }
  return json;
}
