// Parses Takeout JSON files: media sidecars and album metadata (field names from immich-go
// adapters/googlePhotos/json.go and GPTH issue #395's sample). Values are checked, not trusted: a
// bad field is reported and left out, the rest of the file is still used.
import { takeoutProblem, TAKEOUT_JSON_INVALID, TAKEOUT_NO_COORDINATES, TAKEOUT_NO_TIMESTAMP, TAKEOUT_NOT_A_STRING, TAKEOUT_OFF_GLOBE, TAKEOUT_OUT_OF_RANGE, TAKEOUT_TIMESTAMP_NOT_SECONDS, TAKEOUT_TIMESTAMP_UNBELIEVABLE, TAKEOUT_TIMESTAMP_ZERO, TAKEOUT_URL_NOT_HTTPS } from './problemText';

export interface GeoPoint {
  readonly latitude: number;
  readonly longitude: number;
  readonly altitude?: number;
}

export interface MediaSidecar {
  /** The name as uploaded (can differ from the file name in the archive). */
  readonly title?: string;
  readonly description?: string;
  /** Capture time, UTC (Takeout stores epoch seconds with no offset). */
  readonly photoTakenTime?: Date;
  /** Upload time, UTC. */
  readonly creationTime?: Date;
  /** Location shown in Google Photos (may be user-edited). */
  readonly geoData?: GeoPoint;
  /** Location from the file's own EXIF. */
  readonly geoDataExif?: GeoPoint;
  /** geoDataExif, else geoData — the order immich-go settled on (#841). */
  readonly location?: GeoPoint;
  readonly people: readonly string[];
  readonly url?: string;
  readonly favorited: boolean;
  readonly archived: boolean;
  readonly trashed: boolean;
  /** `mobileUpload`, `webUpload`, `driveSync`, `fromPartnerSharing`… */
  readonly origin?: string;
  readonly deviceFolder?: string;
}

export interface AlbumMetadata {
  readonly title?: string;
  readonly description?: string;
  readonly access?: string;
  readonly date?: Date;
  readonly location?: string;
  readonly geoData?: GeoPoint;
}

export type TakeoutJson =
  | { kind: 'media'; sidecar: MediaSidecar; issues: string[] }
  | { kind: 'album'; album: AlbumMetadata; issues: string[] }
  | { kind: 'other'; issues: string[] }
  | { kind: 'invalid'; message: string };

export interface JsonCheckOptions {
  /** Times after this are refused (default: now plus one day of clock skew). */
  now?: Date;
}

/** The earliest capture time taken seriously (GPTH's year folders start at 1800). */
const EARLIEST = Date.UTC(1800, 0, 1);

type Json = Record<string, unknown>;

export function parseTakeoutJson(text: string, options: JsonCheckOptions = {}): TakeoutJson {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    return { kind: 'invalid', message: takeoutProblem(TAKEOUT_JSON_INVALID, (error as Error).message) };
  }
  if (!isObject(value)) return { kind: 'other', issues: [] };
  const latest = (options.now?.getTime() ?? Date.now()) + 24 * 3600 * 1000;
  const issues: string[] = [];
  // A media sidecar has a capture time; an album JSON only a title (and friends), maybe wrapped.
  if ('photoTakenTime' in value || ('creationTime' in value && 'url' in value)) {
    return { kind: 'media', sidecar: readMedia(value, issues, latest), issues };
  }
  const album = isObject(value.albumData) ? value.albumData : value;
  if ('title' in album) return { kind: 'album', album: readAlbum(album, issues, latest), issues };
  return { kind: 'other', issues };
}

function readMedia(json: Json, issues: string[], latest: number): MediaSidecar {
  const geoData = readGeo(json, 'geoData', issues);
  const geoDataExif = readGeo(json, 'geoDataExif', issues);
  const origin = isObject(json.googlePhotosOrigin) ? Object.keys(json.googlePhotosOrigin)[0] : undefined;
  const mobile = isObject(json.googlePhotosOrigin) && isObject(json.googlePhotosOrigin.mobileUpload) ? json.googlePhotosOrigin.mobileUpload : undefined;
  const deviceFolder = mobile && isObject(mobile.deviceFolder) ? readString(mobile.deviceFolder, 'localFolderName', issues) : undefined;
  return {
    title: readString(json, 'title', issues)?.normalize('NFC'),
    description: readString(json, 'description', issues) || undefined,
    photoTakenTime: readTime(json, 'photoTakenTime', issues, latest),
    creationTime: readTime(json, 'creationTime', issues, latest),
    geoData,
    geoDataExif,
    location: geoDataExif ?? geoData,
    people: Array.isArray(json.people)
      ? json.people.flatMap((p) => (isObject(p) && typeof p.name === 'string' && p.name.trim() ? [p.name.trim()] : []))
      : [],
    url: readUrl(json, issues),
    favorited: json.favorited === true,
    archived: json.archived === true,
    trashed: json.trashed === true,
    origin,
    deviceFolder: deviceFolder || undefined,
  };
}

function readAlbum(json: Json, issues: string[], latest: number): AlbumMetadata {
  return {
    title: readString(json, 'title', issues)?.normalize('NFC'),
    description: readString(json, 'description', issues) || undefined,
    access: readString(json, 'access', issues),
    date: readTime(json, 'date', issues, latest),
    location: readString(json, 'location', issues) || undefined,
    geoData: readGeo(json, 'geoData', issues),
  };
}

/** `{timestamp: "1546300800", formatted: "…"}`: epoch seconds as a string; 0 or empty = unknown. */
function readTime(json: Json, field: string, issues: string[], latest: number): Date | undefined {
  const holder = json[field];
  if (holder === undefined) return undefined;
  const raw = isObject(holder) ? holder.timestamp : undefined;
  if (raw === undefined || raw === '' || raw === null) {
    issues.push(takeoutProblem(TAKEOUT_NO_TIMESTAMP, field));
    return undefined;
  }
  const seconds = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isFinite(seconds)) {
    issues.push(takeoutProblem(TAKEOUT_TIMESTAMP_NOT_SECONDS, field, JSON.stringify(raw)));
    return undefined;
  }
  if (seconds === 0) {
    issues.push(takeoutProblem(TAKEOUT_TIMESTAMP_ZERO, field));
    return undefined;
  }
  const ms = seconds * 1000;
  if (ms < EARLIEST || ms > latest) {
    issues.push(takeoutProblem(TAKEOUT_TIMESTAMP_UNBELIEVABLE, field, seconds, Number.isFinite(new Date(ms).getTime()) ? new Date(ms).toISOString() : TAKEOUT_OUT_OF_RANGE));
    return undefined;
  }
  return new Date(ms);
}

/** 0,0 is Takeout's "no location"; anything outside the globe is reported. */
function readGeo(json: Json, field: string, issues: string[]): GeoPoint | undefined {
  const geo = json[field];
  if (!isObject(geo)) return undefined;
  const latitude = Number(geo.latitude);
  const longitude = Number(geo.longitude);
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) {
    issues.push(takeoutProblem(TAKEOUT_NO_COORDINATES, field));
    return undefined;
  }
  if (latitude === 0 && longitude === 0) return undefined;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
    issues.push(takeoutProblem(TAKEOUT_OFF_GLOBE, field, latitude, longitude));
    return undefined;
  }
  const altitude = Number(geo.altitude);
  return Number.isFinite(altitude) && altitude !== 0 ? { latitude, longitude, altitude } : { latitude, longitude };
}

function readUrl(json: Json, issues: string[]): string | undefined {
  const url = readString(json, 'url', issues);
  if (url === undefined || url === '') return undefined;
  if (!/^https:\/\//.test(url)) {
    issues.push(takeoutProblem(TAKEOUT_URL_NOT_HTTPS, JSON.stringify(url.slice(0, 80))));
    return undefined;
  }
  return url;
}

function readString(json: Json, field: string, issues: string[]): string | undefined {
  const value = json[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    issues.push(takeoutProblem(TAKEOUT_NOT_A_STRING, field));
    return undefined;
  }
  return value;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
