// Picks a free name for a download: `IMG_0001.jpg`, then `IMG_0001 (1).jpg`, `IMG_0001 (2).jpg`…
// The ` (n)` form is gphotos-sync's, which copied Google's Backup and Sync for Windows (Takeout writes
// `IMG_0001(1).jpg` without the space, but Takeout's names arrive already unique and are kept as they are).
//
// Names are compared after NFC and lower-casing on every platform: macOS, Windows, exFAT and FAT see
// `IMG.JPG` and `img.jpg` as one file, and a photo folder is often copied onto one of them later.
import fs from 'node:fs';
import path from 'node:path';
import { MAX_NAME_BYTES, fitName, splitExtension } from './safeName';

/** `IMG.jpg`, 2 → `IMG (2).jpg`, the stem shortened when the whole would pass `maxBytes`. */
export function numberedName(name: string, n: number, maxBytes = MAX_NAME_BYTES): string {
  if (n === 0) return name;
  const { stem, ext } = splitExtension(name);
  return fitName(stem, ` (${n})${ext}`, maxBytes);
}

/** The key two names collide under (case- and normalisation-insensitive file systems). */
export function collisionKey(name: string, foldCase = true): string {
  const nfc = name.normalize('NFC');
  return foldCase ? nfc.toLowerCase() : nfc;
}

export interface NameReservationOptions {
  /** Compare names ignoring case. Default true (see above); false only for a known case-sensitive target. */
  foldCase?: boolean;
  maxBytes?: number;
}

interface FolderState {
  /** Keys of names found on disk when the folder was first used, plus names later found taken. */
  taken: Set<string>;
  /** Key of a reserved name → the name originally asked for (to number from it again). */
  reserved: Map<string, string>;
}

/**
 * Reservations for one run: parallel downloads into the same folder never get the same name, nor a
 * name already on disk. Each folder is listed once; a file that appears later is caught by
 * placeStream, which never overwrites and asks `next()` for another name.
 */
export class NameReservations {
  private readonly folders = new Map<string, Promise<FolderState>>();
  private readonly loaded = new Map<string, FolderState>();
  private readonly foldCase: boolean;
  private readonly maxBytes: number;

  constructor(options: NameReservationOptions = {}) {
    this.foldCase = options.foldCase ?? true;
    this.maxBytes = options.maxBytes ?? MAX_NAME_BYTES;
  }

  /** Reserves `desiredPath`, or the first free `name (n).ext` beside it; returns the reserved path. */
  async reserve(desiredPath: string): Promise<string> {
    const folder = path.dirname(path.resolve(desiredPath));
    const state = await this.folder(folder);
    // No await from here on: checking and reserving happen in one step.
    const desired = path.basename(desiredPath);
    for (let n = 0; ; n++) {
      const candidate = numberedName(desired, n, this.maxBytes);
      const key = collisionKey(candidate, this.foldCase);
      if (state.taken.has(key) || state.reserved.has(key)) continue;
      state.reserved.set(key, desired);
      return path.join(folder, candidate);
    }
  }

  /**
   * The reserved `takenPath` turned out to exist (created by someone else since the folder was
   * listed): remembers it as taken and reserves the next name for the same original name.
   */
  async next(takenPath: string): Promise<string> {
    const folder = path.dirname(path.resolve(takenPath));
    const state = await this.folder(folder);
    const key = collisionKey(path.basename(takenPath), this.foldCase);
    const desired = state.reserved.get(key) ?? path.basename(takenPath);
    state.reserved.delete(key);
    state.taken.add(key);
    return this.reserve(path.join(folder, desired));
  }

  /** Gives a name back after a failed download, so the next item may use it. */
  release(reservedPath: string): void {
    const folder = path.dirname(path.resolve(reservedPath));
    this.loaded.get(folder)?.reserved.delete(collisionKey(path.basename(reservedPath), this.foldCase));
  }

  private folder(folder: string): Promise<FolderState> {
    let state = this.folders.get(folder);
    if (!state) {
      state = listNames(folder).then((names) => {
        const loaded: FolderState = { taken: new Set(names.map((n) => collisionKey(n, this.foldCase))), reserved: new Map() };
        this.loaded.set(folder, loaded);
        return loaded;
      });
      this.folders.set(folder, state);
      // A failed listing (EACCES…) is not cached: the next call tries again and reports it itself.
      state.catch(() => this.folders.delete(folder));
    }
    return state;
  }
}

async function listNames(folder: string): Promise<string[]> {
  try {
    return await fs.promises.readdir(folder);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []; // created when the first file lands
    throw err;
  }
}
