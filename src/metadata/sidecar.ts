// Sidecars beside a media file, for what its own bytes cannot (or should not) carry:
// - `name.ext.xmp`: standard XMP (dc, exif, photoshop namespaces) that Lightroom, darktable,
//   digiKam and exiftool read — for PNG, HEIC, videos and RAW, whose EXIF we do not rewrite, and on
//   request for JPEGs too.
// - `name.ext.photo-sync.json`: what Google Photos told us about the item (id, description, times,
//   camera, size, where it came from), so the facts survive even where no format can store them.
//   Deliberately not `name.ext.json`, the name of Google Takeout's own sidecars.
import { promises as fs } from 'node:fs';
import type { GpsPosition, LocalDateTime } from './exifWrite';
import { writeFileSafely } from './safeRewrite';

export interface XmpFields {
  description?: string;
  dateTimeOriginal?: LocalDateTime;
  gps?: GpsPosition;
  artist?: string;
  copyright?: string;
  /** The item's id at the service it came from (dc:identifier). */
  identifier?: string;
  /** Camera (tiff:Make, tiff:Model). */
  make?: string;
  model?: string;
  /** Pixel size (exif:PixelXDimension, exif:PixelYDimension). */
  width?: number;
  height?: number;
}

/** Marks sidecars we wrote: only those are replaced without `overwrite`. */
const XMP_TOOLKIT = 'Photo Sync';

export class SidecarExistsError extends Error {}

export const xmpSidecarPath = (mediaFile: string): string => `${mediaFile}.xmp`;
export const jsonSidecarPath = (mediaFile: string): string => `${mediaFile}.photo-sync.json`;

/** Text safe inside an XML element or attribute: markup escaped, characters XML 1.0 forbids dropped. */
export function escapeXml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex -- these control characters are exactly what XML 1.0 forbids
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;'); // a raw CR would be normalised to LF by every parser
}

/** XMP's GPSCoordinate "DDD,MM.mmmmmmK": degrees, decimal minutes, hemisphere letter (≈2 mm). */
export function toXmpCoordinate(decimal: number, axis: 'latitude' | 'longitude'): string {
  const letter = axis === 'latitude' ? (decimal >= 0 ? 'N' : 'S') : decimal >= 0 ? 'E' : 'W';
  const abs = Math.abs(decimal);
  let degrees = Math.floor(abs);
  let minutes = Number(((abs - degrees) * 60).toFixed(6));
  if (minutes >= 60) {
    degrees += 1;
    minutes = 0;
  }
  return `${degrees},${minutes.toFixed(6)}${letter}`;
}

/** XMP date: "YYYY-MM-DDThh:mm:ss" plus the offset when known (XMP allows a local time without one). */
const xmpDate = (d: LocalDateTime): string => `${d.local}${d.offset ?? ''}`;

/** A complete XMP packet with the given fields; empty fields are left out. */
export function buildXmp(fields: XmpFields): string {
  const props: string[] = [];
  const simple = (name: string, value: string) => props.push(`   <${name}>${escapeXml(value)}</${name}>`);
  const langAlt = (name: string, value: string) =>
    props.push(`   <${name}>\n    <rdf:Alt>\n     <rdf:li xml:lang="x-default">${escapeXml(value)}</rdf:li>\n    </rdf:Alt>\n   </${name}>`);

  if (fields.description?.trim()) langAlt('dc:description', fields.description.trim());
  if (fields.artist?.trim()) props.push(`   <dc:creator>\n    <rdf:Seq>\n     <rdf:li>${escapeXml(fields.artist.trim())}</rdf:li>\n    </rdf:Seq>\n   </dc:creator>`);
  if (fields.copyright?.trim()) langAlt('dc:rights', fields.copyright.trim());
  if (fields.dateTimeOriginal) {
    simple('exif:DateTimeOriginal', xmpDate(fields.dateTimeOriginal));
    simple('photoshop:DateCreated', xmpDate(fields.dateTimeOriginal));
  }
  if (fields.identifier?.trim()) simple('dc:identifier', fields.identifier.trim());
  if (fields.make?.trim()) simple('tiff:Make', fields.make.trim());
  if (fields.model?.trim()) simple('tiff:Model', fields.model.trim());
  if (fields.width !== undefined && Number.isInteger(fields.width) && fields.width > 0) simple('exif:PixelXDimension', String(fields.width));
  if (fields.height !== undefined && Number.isInteger(fields.height) && fields.height > 0) simple('exif:PixelYDimension', String(fields.height));
  if (fields.gps) {
    simple('exif:GPSVersionID', '2.3.0.0');
    simple('exif:GPSLatitude', toXmpCoordinate(fields.gps.latitude, 'latitude'));
    simple('exif:GPSLongitude', toXmpCoordinate(fields.gps.longitude, 'longitude'));
    if (fields.gps.altitude !== undefined) {
      simple('exif:GPSAltitude', `${Math.round(Math.abs(fields.gps.altitude) * 100)}/100`);
      simple('exif:GPSAltitudeRef', fields.gps.altitude < 0 ? '1' : '0');
    }
  }
  return [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    `<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="${XMP_TOOLKIT}">`,
    ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '  <rdf:Description rdf:about=""',
    '    xmlns:dc="http://purl.org/dc/elements/1.1/"',
    '    xmlns:exif="http://ns.adobe.com/exif/1.0/"',
    '    xmlns:tiff="http://ns.adobe.com/tiff/1.0/"',
    '    xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/">',
    ...props,
    '  </rdf:Description>',
    ' </rdf:RDF>',
    '</x:xmpmeta>',
    '<?xpacket end="w"?>',
    '',
  ].join('\n');
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** exifr reads XMP with regular expressions and leaves entity references as they are. */
function decodeXml(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(?:#x([0-9a-f]+)|#(\d+)|(amp|lt|gt|quot|apos));/gi, (_, hex: string, dec: string, name: string) =>
    hex ? String.fromCodePoint(parseInt(hex, 16)) : dec ? String.fromCodePoint(Number(dec)) : named[name.toLowerCase()],
  );
}

function fromXmpCoordinate(value: unknown): number | undefined {
  const m = typeof value === 'string' ? /^(\d+),(\d+(?:\.\d+)?)([NSEW])$/.exec(value) : null;
  if (!m) return undefined;
  const abs = Number(m[1]) + Number(m[2]) / 60;
  return m[3] === 'S' || m[3] === 'W' ? -abs : abs;
}

const XMP_DATE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** The fields of an XMP sidecar (ours or another program's), read with exifr; undefined when there is none. */
export async function readXmpSidecar(mediaFile: string): Promise<XmpFields | undefined> {
  const target = xmpSidecarPath(mediaFile);
  if ((await readIfExists(target)) === undefined) return undefined;
  type Lang = { value?: unknown } | string;
  // exifr is loaded on first use, not at activation.
  const { sidecar: readXmp } = await import('exifr');
  const xmp = ((await readXmp(target)) ?? {}) as { dc?: Record<string, Lang>; exif?: Record<string, unknown>; photoshop?: Record<string, unknown>; tiff?: Record<string, unknown> };
  const text = (v: Lang | undefined) => (typeof v === 'string' ? decodeXml(v) : typeof v?.value === 'string' ? decodeXml(v.value) : undefined);
  const fields: XmpFields = {};
  const description = text(xmp.dc?.description);
  if (description) fields.description = description;
  const artist = text(xmp.dc?.creator);
  if (artist) fields.artist = artist;
  const copyright = text(xmp.dc?.rights);
  if (copyright) fields.copyright = copyright;
  const identifier = text(xmp.dc?.identifier);
  if (identifier) fields.identifier = identifier;
  const make = typeof xmp.tiff?.Make === 'string' ? decodeXml(xmp.tiff.Make) : undefined;
  if (make) fields.make = make;
  const model = typeof xmp.tiff?.Model === 'string' ? decodeXml(xmp.tiff.Model) : undefined;
  if (model) fields.model = model;
  const width = Number(xmp.exif?.PixelXDimension);
  if (Number.isInteger(width) && width > 0) fields.width = width;
  const height = Number(xmp.exif?.PixelYDimension);
  if (Number.isInteger(height) && height > 0) fields.height = height;
  const date = XMP_DATE.exec(String(xmp.exif?.DateTimeOriginal ?? xmp.photoshop?.DateCreated ?? ''));
  if (date) fields.dateTimeOriginal = date[2] ? { local: date[1], offset: date[2] === 'Z' ? '+00:00' : date[2] } : { local: date[1] };
  const latitude = fromXmpCoordinate(xmp.exif?.GPSLatitude);
  const longitude = fromXmpCoordinate(xmp.exif?.GPSLongitude);
  if (latitude !== undefined && longitude !== undefined) {
    fields.gps = { latitude, longitude };
    const alt = /^(\d+)\/(\d+)$/.exec(String(xmp.exif?.GPSAltitude ?? ''));
    if (alt && Number(alt[2]) > 0) fields.gps.altitude = (Number(alt[1]) / Number(alt[2])) * (String(xmp.exif?.GPSAltitudeRef) === '1' ? -1 : 1);
  }
  return fields;
}

/**
 * Writes `mediaFile.xmp`. A sidecar another program wrote (Lightroom, darktable…) may hold the user's
 * edits, so it is replaced only with `overwrite`; one we wrote earlier keeps the fields not given now.
 */
export async function writeXmpSidecar(mediaFile: string, fields: XmpFields, options: { overwrite?: boolean } = {}): Promise<string> {
  const target = xmpSidecarPath(mediaFile);
  const existing = await readIfExists(target);
  const ours = existing?.includes(`x:xmptk="${XMP_TOOLKIT}"`) ?? false;
  if (existing !== undefined && !ours && !options.overwrite) {
    throw new SidecarExistsError(`${target} already exists and was written by another program; it was left as it is (choose to overwrite it to replace it)`);
  }
  const kept = ours ? await readXmpSidecar(mediaFile) : undefined;
  await writeFileSafely(target, buildXmp({ ...kept, ...definedOnly(fields) }));
  return target;
}

const definedOnly = <T extends object>(o: T): Partial<T> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/** What the remote service knows about an item, as stored in the JSON sidecar. */
export interface RemoteMediaFacts {
  /** Where it came from: "google-photos-library", "google-photos-picker", "google-takeout", or another service's "<provider>-library". */
  source: 'google-photos-library' | 'google-photos-picker' | 'google-takeout' | (string & {});
  /** The service's id of the item. */
  id?: string;
  /** The name the item had there. */
  filename?: string;
  description?: string;
  /** Capture time as the service reports it, RFC 3339 (UTC for Google). */
  creationTime?: string;
  mimeType?: string;
  camera?: { make?: string; model?: string };
  width?: number;
  height?: number;
  /** Link to the item in the service's web app. */
  productUrl?: string;
  location?: GpsPosition;
}

interface JsonSidecar extends RemoteMediaFacts {
  writtenBy: 'Photo Sync';
  version: 1;
  /** When the sidecar was written, RFC 3339. */
  writtenAt: string;
}

/** Writes `mediaFile.photo-sync.json` (replacing an older one of ours). */
export async function writeJsonSidecar(mediaFile: string, facts: RemoteMediaFacts, now = new Date()): Promise<string> {
  const target = jsonSidecarPath(mediaFile);
  const body: JsonSidecar = { writtenBy: 'Photo Sync', version: 1, writtenAt: now.toISOString(), ...facts };
  await writeFileSafely(target, `${JSON.stringify(body, null, 2)}\n`);
  return target;
}

/** The facts from a JSON sidecar we wrote; undefined when there is none or it is not ours. */
export async function readJsonSidecar(mediaFile: string): Promise<(RemoteMediaFacts & { writtenAt: string }) | undefined> {
  const text = await readIfExists(jsonSidecarPath(mediaFile));
  if (text === undefined) return undefined;
  let parsed: Partial<JsonSidecar>;
  try {
    parsed = JSON.parse(text) as Partial<JsonSidecar>;
  } catch {
    return undefined;
  }
  if (parsed.writtenBy !== 'Photo Sync' || parsed.version !== 1 || typeof parsed.source !== 'string') return undefined;
  const { writtenBy: _by, version: _v, ...facts } = parsed as JsonSidecar;
  return facts;
}
