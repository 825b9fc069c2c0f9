// The facts in a Google Takeout JSON sidecar (`IMG_1234.jpg.json`, `….supplemental-metadata.json`)
// that belong in the photo: capture time, place, description. Changes made inside Google Photos live
// only here, so an importer writes them back (shared/reference/takeout.md). Matching a sidecar to its
// media file is the importer's job; this only reads one.
import { promises as fs } from 'node:fs';
import type { GpsPosition } from './exifWrite';

export interface TakeoutFacts {
  /** The name the item had when uploaded. */
  title?: string;
  description?: string;
  /** photoTakenTime: the capture instant (Takeout stores UTC epoch seconds, no offset). */
  takenAt?: Date;
  /** creationTime: when it was uploaded. */
  uploadedAt?: Date;
  /** geoDataExif (from the file) when set, else geoData (as shown in Google Photos, maybe edited). */
  location?: GpsPosition;
}

interface TakeoutTime {
  timestamp?: string | number;
}
interface TakeoutGeo {
  latitude?: number;
  longitude?: number;
  altitude?: number;
}

function epochSeconds(value: TakeoutTime | undefined): Date | undefined {
  const seconds = Number(value?.timestamp);
  // "0" and "" mean unknown.
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : undefined;
}

function position(geo: TakeoutGeo | undefined): GpsPosition | undefined {
  const { latitude, longitude, altitude } = geo ?? {};
  if (typeof latitude !== 'number' || typeof longitude !== 'number') return undefined;
  if (latitude === 0 && longitude === 0) return undefined; // Takeout's "no location"
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  return typeof altitude === 'number' && altitude !== 0 ? { latitude, longitude, altitude } : { latitude, longitude };
}

/**
 * The facts of a media sidecar; undefined for anything else (an album's metadata.json has no
 * photoTakenTime — that is how immich-go tells the two apart).
 */
export function parseTakeoutSidecar(json: unknown): TakeoutFacts | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const j = json as { title?: unknown; description?: unknown; photoTakenTime?: TakeoutTime; creationTime?: TakeoutTime; geoData?: TakeoutGeo; geoDataExif?: TakeoutGeo };
  if (typeof j.photoTakenTime !== 'object' || j.photoTakenTime === null || !('timestamp' in j.photoTakenTime)) return undefined;
  const facts: TakeoutFacts = {};
  if (typeof j.title === 'string' && j.title) facts.title = j.title;
  if (typeof j.description === 'string' && j.description.trim()) facts.description = j.description.trim();
  const takenAt = epochSeconds(j.photoTakenTime);
  if (takenAt) facts.takenAt = takenAt;
  const uploadedAt = epochSeconds(j.creationTime);
  if (uploadedAt) facts.uploadedAt = uploadedAt;
  const location = position(j.geoDataExif) ?? position(j.geoData);
  if (location) facts.location = location;
  return facts;
}

/** Reads and parses a sidecar file; throws on unreadable JSON so the importer can report the file. */
export async function readTakeoutSidecar(file: string): Promise<TakeoutFacts | undefined> {
  const text = await fs.readFile(file, 'utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file} is not readable JSON (${(err as Error).message}); re-download that Takeout part`);
  }
  return parseTakeoutSidecar(json);
}
