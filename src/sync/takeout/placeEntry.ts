// One media entry of a Takeout into the download tree: its bytes streamed into a temp file (hashed),
// then — stored once per content — the sidecar's metadata written into the temp file, the capture
// time as mtime, fsync, a final name that never replaces a file, the album entry and the index row.
// Same bytes seen before (a year folder and an album, two parts) only get the album entry.
import fs from 'node:fs';
import path from 'node:path';
import type { ImportRecord, PhotoIndex } from '../../index/api';
import type { LocalFileSystem } from '../../localfs/fileSystem';
import { numberedName, type NameReservations } from '../../localfs/collisions';
import { albumLinkPath, renderLayout, type Layout } from '../../localfs/layout';
import { LinkError, linkIntoAlbum } from '../../localfs/links';
import { commitStaged, discardStaged, stageStream } from '../../localfs/placeFile';
import { safeFileName } from '../../localfs/safeName';
import { isJpegFile } from '../../metadata/exifWrite';
import { hashFrom } from '../../metadata/safeRewrite';
import { writeXmpSidecar, SidecarExistsError } from '../../metadata/sidecar';
import type { MediaDescription } from '../../takeout/scan';
import { EntryDamagedError, type ArchiveEntry } from '../../takeout/types';
import { captureOf, sidecarEdits, writeExifInto } from './capture';
import type { TakeoutResult } from './report';
import type { TakeoutSettings } from './settings';
import { takeoutProblem, TAKEOUT_NO_ALBUM_ENTRY, TAKEOUT_NO_XMP } from '../../takeout/problemText';

export const ORIGIN = 'takeout';

export interface EntryRunState {
  root: string;
  settings: TakeoutSettings;
  index: PhotoIndex;
  names: NameReservations;
  result: TakeoutResult;
  /** Newest capture time per album folder (the album entry's date, as gphotos-sync dates albums). */
  albumDates: ReadonlyMap<string, Date>;
  /** Rows not yet written (see flush); consulted before the index. */
  pending: Map<string, ImportRecord>;
  flush(): Promise<void>;
  now(): Date;
  /** Tests reach a full disk through it where no small tmpfs can be mounted. */
  fileSystem?: LocalFileSystem;
  /** Folders that got new names (fsynced once at the end). */
  unsynced: Set<string>;
}

export type EntryOutcome = 'stored' | 'duplicate' | 'already' | 'trash' | 'skipped' | 'damaged';

export class EntryImporter {
  constructor(private readonly run: EntryRunState) {}

  private row(entryName: string): ImportRecord | undefined {
    return this.run.pending.get(entryName) ?? this.run.index.imports.get(this.run.root, entryName);
  }

  private async record(row: ImportRecord): Promise<void> {
    this.run.pending.set(row.entryName, row);
    if (this.run.pending.size >= 64) await this.run.flush();
  }

  /** The stored row of this import holding exactly these archive bytes, if its file is still there. */
  private storedCopy(receivedSha256: string): ImportRecord | undefined {
    for (const row of this.run.pending.values()) if (row.state === 'done' && row.receivedSha256 === receivedSha256 && row.localPath && fs.existsSync(row.localPath)) return row;
    const row = this.run.index.imports.storedByReceivedSha256(this.run.root, receivedSha256);
    return row?.localPath && fs.existsSync(row.localPath) ? row : undefined;
  }

  /** Done before (this run or an earlier one) and still on disk: nothing to read. */
  isDone(entryName: string): boolean {
    const row = this.row(entryName);
    if (!row || (row.state !== 'done' && row.state !== 'duplicate') || !row.localPath) return false;
    try {
      const stat = fs.statSync(row.localPath);
      return row.bytes === undefined || stat.size === row.bytes;
    } catch {
      return false;
    }
  }

  async import(entry: ArchiveEntry, described: MediaDescription, signal: AbortSignal, onBytes: (n: number) => void): Promise<EntryOutcome> {
    const { run } = this;
    const { result, settings, root } = run;
    if (described.folder.kind === 'trash' || described.metadata?.trashed) {
      result.trash++;
      return 'trash';
    }
    if (described.folder.kind === 'outside') return 'skipped';
    if (this.isDone(entry.entryName)) {
      result.already++;
      return 'already';
    }
    const fileName = path.posix.basename(entry.entryName);
    const staging = path.join(root, 'photos');
    let damage: EntryDamagedError | undefined;
    const source = entry.open();
    source.on('error', (err) => {
      if (err instanceof EntryDamagedError) damage = err;
    });
    let counted = 0;
    const counting = async function* () {
      for await (const chunk of source) {
        counted += (chunk as Buffer).length;
        onBytes((chunk as Buffer).length);
        yield chunk as Buffer;
      }
    };
    let staged;
    try {
      staged = await stageStream(counting(), path.join(staging, safeFileName(fileName)), { root, expectedSize: entry.size, signal, fileSystem: run.fileSystem });
    } catch (err) {
      if (damage) {
        onBytes(entry.size - counted);
        await this.record(this.base(entry, described, { state: 'damaged', lastError: damage.message }));
        return 'damaged';
      }
      throw err;
    }
    const meta = described.metadata;
    const duplicateOf = this.storedCopy(staged.sha256);
    if (duplicateOf) {
      await discardStaged(staged);
      result.duplicates++;
      const stored = duplicateOf.localPath!;
      const link = await this.albumEntry(described, stored);
      const stat = fs.statSync(stored);
      await this.record(
        this.base(entry, described, { state: 'duplicate', localPath: stored, albumLink: link, receivedSha256: staged.sha256, sha256: duplicateOf.sha256, bytes: stat.size, mtimeMs: stat.mtimeMs, captureTime: duplicateOf.captureTime, captureSource: duplicateOf.captureSource }),
      );
      return 'duplicate';
    }
    const capture = await captureOf(meta, staged.tempPath, fileName, run.now());
    const target =
      capture.layoutTime !== undefined
        ? renderLayout(root, settings.layout as Layout, { filename: fileName, captureTime: capture.layoutTime, album: described.folder.albumTitle ?? '' })
        : path.join(root, 'photos', 'undated', safeFileName(fileName));
    if (capture.source === 'none') result.undated++;
    const reserved = await run.names.reserve(target);
    // A name taken by these very bytes is a file an interrupted run placed but did not record.
    const adopted = reserved !== target ? await identicalAt(target, staged.sha256, staged.bytes) : undefined;
    if (adopted) {
      run.names.release(reserved);
      await discardStaged(staged);
      const link = await this.albumEntry(described, adopted);
      const stat = fs.statSync(adopted);
      await this.record(this.base(entry, described, { state: 'done', localPath: adopted, albumLink: link, bytes: stat.size, sha256: staged.sha256, receivedSha256: staged.sha256, mtimeMs: stat.mtimeMs, captureTime: capture.instant?.toISOString(), captureSource: capture.source }));
      result.already++;
      return 'already';
    }
    const edits = sidecarEdits(meta, settings.writeMetadata);
    let written: string[] = [];
    await fs.promises.mkdir(path.dirname(reserved), { recursive: true });
    let placed;
    try {
      placed = await commitStaged(
        { ...staged, target: reserved },
        {
          root,
          names: run.names,
          fileSystem: run.fileSystem,
          mtime: capture.instant,
          signal,
          syncFolder: false,
          beforeFinalName: edits
            ? async (temp) => {
                const exif = await writeExifInto(temp, edits, fileName);
                written = exif.written.map((t) => `exif:${t}`);
                if (exif.warning) result.warnings.push(exif.warning);
              }
            : undefined,
        },
      );
    } catch (err) {
      run.names.release(reserved);
      throw err;
    }
    run.unsynced.add(path.dirname(placed.path));
    if (edits && written.length === 0 && !(await isJpegFile(placed.path))) written = await this.xmpFor(placed.path, edits, fileName);
    if (written.length) result.metadataWritten++;
    const sha256 = written.some((w) => w.startsWith('exif:')) ? (await hashFrom(placed.path, 0)).sha256 : placed.sha256;
    const stat = await fs.promises.stat(placed.path);
    result.imported++;
    result.bytesWritten += stat.size;
    const link = await this.albumEntry(described, placed.path);
    await this.record(
      this.base(entry, described, {
        state: 'done',
        localPath: placed.path,
        albumLink: link,
        bytes: stat.size,
        sha256,
        receivedSha256: placed.sha256,
        mtimeMs: stat.mtimeMs,
        captureTime: capture.instant?.toISOString(),
        captureSource: capture.source,
        metadataWritten: written.join(',') || undefined,
      }),
    );
    return 'stored';
  }

  private async xmpFor(file: string, edits: NonNullable<ReturnType<typeof sidecarEdits>>, name: string): Promise<string[]> {
    try {
      await writeXmpSidecar(file, { dateTimeOriginal: edits.dateTimeOriginal, gps: edits.gps, description: edits.description }, { overwrite: false });
      return ['xmp'];
    } catch (err) {
      if (err instanceof SidecarExistsError) this.run.result.warnings.push(`${name}: ${err.message}`);
      else this.run.result.warnings.push(takeoutProblem(TAKEOUT_NO_XMP, name, (err as Error).message));
      return [];
    }
  }

  /** The album entry for a stored file when the entry sits in an album folder; problems are reported, not thrown. */
  private async albumEntry(described: MediaDescription, stored: string): Promise<string | undefined> {
    const { run } = this;
    const folder = described.folder;
    if (folder.kind !== 'album' || !run.settings.albumLinks) return undefined;
    const date = run.albumDates.get(folder.path) ?? run.now();
    const links = run.result.links;
    for (let n = 0; n < 50; n++) {
      try {
        const entry = albumLinkPath(run.root, { title: folder.albumTitle ?? '', date }, numberedName(path.basename(stored), n));
        const link = await linkIntoAlbum(run.root, stored, entry);
        if (link.created) links[link.kind]++;
        return link.linkPath;
      } catch (err) {
        // Another photo of the same name is in this album already: the next " (n)" name.
        if (err instanceof LinkError && err.code === 'conflict') continue;
        const message = err instanceof LinkError ? err.message : takeoutProblem(TAKEOUT_NO_ALBUM_ENTRY, path.basename(stored), (err as Error).message);
        if (links.problems.length < 20) links.problems.push(message);
        return undefined;
      }
    }
    return undefined;
  }

  private base(entry: ArchiveEntry, d: MediaDescription, fields: Partial<ImportRecord> & Pick<ImportRecord, 'state'>): ImportRecord {
    const m = d.metadata;
    return {
      root: this.run.root,
      entryName: entry.entryName,
      origin: ORIGIN,
      archive: entry.archive,
      matchRule: d.match.rule,
      sidecarEntry: d.sidecarEntryName,
      title: m?.title,
      description: m?.description,
      latitude: m?.location?.latitude,
      longitude: m?.location?.longitude,
      altitude: m?.location?.altitude,
      people: m?.people.length ? JSON.stringify(m.people) : undefined,
      url: m?.url,
      favorited: m?.favorited,
      archived: m?.archived,
      trashed: m?.trashed,
      uploadOrigin: m?.origin,
      ...fields,
    };
  }
}

/** The file at `target` or one of its " (n)" names holding exactly these bytes; the walk ends at the first free name. */
async function identicalAt(target: string, sha256: string, bytes: number): Promise<string | undefined> {
  const folder = path.dirname(target);
  for (let n = 0; n < 1000; n++) {
    const candidate = path.join(folder, numberedName(path.basename(target), n));
    let stat: fs.Stats;
    try {
      stat = await fs.promises.lstat(candidate);
    } catch {
      return undefined;
    }
    if (stat.isFile() && stat.size === bytes && (await hashFrom(candidate, 0)).sha256 === sha256) return candidate;
  }
  return undefined;
}
