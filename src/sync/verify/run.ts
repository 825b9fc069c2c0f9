// Verify Backup: compares the local files, the index and the destination for sync folders and reports
// what it found (types.ts). One VerifyRun per verify: `prepare()` walks the folders and says what the
// remote side will cost; `run()` asks the destination and assembles the report. A run stopped by a
// cancel, a 429 or the quota keeps what it learnt: `run()` again continues from there.
import path from 'node:path';
import type { IndexReader } from '../../index/api';
import type { SyncFolder } from '../config';
import { uploadId } from '../plan';
import type { PhotoProvider } from '../provider';
import { l10nOr, type SyncL10n } from '../l10n';
import { formatCount } from '../../util/format';
import { verifyLocal, type Backed, type LocalSide } from './local';
import { checkRemote, emptyCheckpoint, estimateRequests, VerifyStopped, type RemoteCheckpoint } from './remote';
import type { Finding, FolderSummary, VerifyReport } from './types';
import { DETAIL_ADDED_ELSEWHERE, DETAIL_ALBUM_DELETED, DETAIL_DELETED_REMOTELY, DETAIL_MISSING_LOCALLY, DETAIL_ORPHAN_BOTH, DETAIL_REMOVED_FROM_ALBUM, englishDetail } from './detailText';

export interface VerifyOptions {
  provider: PhotoProvider;
  index: IndexReader;
  accountId: string;
  folders: readonly SyncFolder[];
  /** Hash every file, not only those whose size or mtime changed. */
  deep?: boolean;
  now?: () => number;
  /** Attempts for a transient failure before the run stops (default 3), and the pause between them. */
  attempts?: number;
  retryDelayMs?: number;
  /** The progress messages' language (vs.l10n in VS Code; English without it). */
  l10n?: SyncL10n;
}

export type VerifyProgress = (p: { phase: 'local' | 'remote'; message: string; done?: number; total?: number }) => void;

export class VerifyRun {
  private sides: LocalSide[] | undefined;
  private readonly cp: RemoteCheckpoint = emptyCheckpoint();
  private startedAt: number;
  private readonly now: () => number;

  constructor(readonly options: VerifyOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
  }

  get requests(): number {
    return this.cp.requests;
  }

  /** Walks the folders and compares them with the index (no request). Returns the requests the remote side needs. */
  async prepare(signal?: AbortSignal, onProgress?: VerifyProgress): Promise<number> {
    if (!this.sides) {
      const l10n = l10nOr(this.options.l10n);
      const sides: LocalSide[] = [];
      for (const folder of this.options.folders) {
        onProgress?.({ phase: 'local', message: l10n.t('Reading {0}…', folder.path) });
        sides.push(
          await verifyLocal(this.options.index, folder, {
            provider: this.options.provider,
            accountId: this.options.accountId,
            deep: this.options.deep ?? false,
            signal,
            onProgress: (seen, hashed) => onProgress?.({ phase: 'local', message: l10n.t('{0}: {1} files read, {2} hashed', path.basename(folder.path), formatCount(seen), formatCount(hashed)) }),
          }),
        );
      }
      this.sides = sides;
    }
    return this.estimate();
  }

  /** Requests still needed for the remote side. */
  estimate(): number {
    const { ids, albums } = this.remoteWork();
    return estimateRequests(
      this.options.provider,
      ids,
      albums.map((id) => ({ id, items: this.options.index.mediaItems.countInAlbum(id) })),
      this.cp,
    );
  }

  /**
   * Checks the remote side within `budget` requests and returns the report (complete, or stopped with
   * why). Call again to continue a stopped run.
   */
  async run(options: { budget?: number; signal?: AbortSignal; onProgress?: VerifyProgress } = {}): Promise<VerifyReport> {
    let stopped: VerifyStopped | undefined;
    try {
      await this.prepare(options.signal, options.onProgress);
      const { ids, albums } = this.remoteWork();
      await checkRemote(ids, albums, this.cp, {
        provider: this.options.provider,
        signal: options.signal,
        budget: this.cp.requests + (options.budget ?? Number.POSITIVE_INFINITY),
        attempts: this.options.attempts,
        retryDelayMs: this.options.retryDelayMs,
        now: this.now,
        onProgress: (done, total) => options.onProgress?.({ phase: 'remote', message: l10nOr(this.options.l10n).t('Asking {0}: {1} of {2}', this.options.provider.displayName, formatCount(done), formatCount(total)), done, total }),
      });
    } catch (err) {
      if (err instanceof VerifyStopped) stopped = err;
      else if ((err as Error).name === 'AbortError') stopped = VerifyStopped.cancelled();
      else throw err;
    }
    return this.report(stopped);
  }

  private remoteWork(): { ids: string[]; albums: string[] } {
    const sides = this.sides ?? [];
    const ids = sides.flatMap((s) => [...s.present, ...s.gone].map((b) => b.mediaItemId));
    const albums = [...new Set(sides.flatMap((s) => [...s.albumIds]))];
    return { ids, albums };
  }

  /** The report from what is known now. */
  report(stopped?: VerifyStopped): VerifyReport {
    const { provider, index } = this.options;
    const findings: Finding[] = [];
    const folders: FolderSummary[] = [];
    for (const side of this.sides ?? []) {
      const summary: FolderSummary = { path: side.root, available: side.available, files: side.candidates, inSync: 0, unchecked: 0 };
      findings.push(...side.findings);
      const known = new Set<string>();
      const albumTitle = (id: string) => index.albums.get(id)?.title ?? id;
      const check = (b: Backed, present: boolean) => {
        known.add(b.mediaItemId);
        const remote = this.cp.items.get(b.mediaItemId);
        const base = { folder: side.root, path: b.path, rel: b.rel, sha256: b.sha256, mediaItemId: b.mediaItemId };
        if (remote === undefined) {
          summary.unchecked++;
          return;
        }
        if (remote === 'gone') {
          findings.push(present ? { ...base, kind: 'missing-remotely', detail: englishDetail(DETAIL_DELETED_REMOTELY, provider.displayName) } : { ...base, kind: 'orphan', detail: englishDetail(DETAIL_ORPHAN_BOTH, provider.displayName) });
          return;
        }
        const webUrl = remote.webUrl;
        if (!present) {
          findings.push({ ...base, kind: 'missing-locally', detail: englishDetail(DETAIL_MISSING_LOCALLY, provider.displayName), webUrl, filename: remote.filename });
          return;
        }
        for (const albumId of b.albumIds) {
          const listed = this.cp.albums.get(albumId);
          if (listed === undefined) {
            summary.unchecked++;
            return;
          }
          const album = { id: albumId, title: albumTitle(albumId) };
          if (listed === 'gone') {
            findings.push({ ...base, kind: 'missing-remotely', album, webUrl, detail: englishDetail(DETAIL_ALBUM_DELETED, album.title, provider.displayName) });
            return;
          }
          if (!listed.has(b.mediaItemId)) {
            findings.push({ ...base, kind: 'missing-remotely', album, webUrl, detail: englishDetail(DETAIL_REMOVED_FROM_ALBUM, album.title) });
            return;
          }
        }
        summary.inSync++;
      };
      for (const b of side.present) check(b, true);
      for (const b of side.gone) check(b, false);
      // Items the albums hold that this folder does not know: added elsewhere (another computer).
      for (const albumId of side.albumIds) {
        for (const item of this.cp.listed.get(albumId) ?? []) {
          if (known.has(item.id) || side.superseded.has(item.id) || this.fromElsewhereHere(side, item.id)) continue;
          known.add(item.id);
          const dir = side.albumDirs.get(albumId) ?? side.root;
          const target = path.join(dir, item.filename);
          findings.push({
            kind: 'missing-locally',
            folder: side.root,
            path: target,
            rel: path.relative(side.root, target).split(path.sep).join('/'),
            mediaItemId: item.id,
            album: { id: albumId, title: albumTitle(albumId) },
            webUrl: item.webUrl,
            filename: item.filename,
            detail: englishDetail(DETAIL_ADDED_ELSEWHERE, albumTitle(albumId)),
          });
        }
      }
      folders.push(summary);
    }
    const complete = !stopped && folders.every((f) => f.unchecked === 0);
    return {
      destination: provider.displayName,
      accountId: this.options.accountId,
      startedAt: this.startedAt,
      finishedAt: this.now(),
      deep: this.options.deep ?? false,
      folders,
      findings,
      requests: this.cp.requests,
      estimated: this.estimate() + this.cp.requests,
      complete,
      stopped: stopped?.message,
      stoppedBy: stopped?.by,
    };
  }

  /**
   * An album item this folder accounts for otherwise: an earlier version of a file still on disk (the
   * file changed and was uploaded again; Google keeps the old item), or an item downloaded into it.
   */
  private fromElsewhereHere(side: LocalSide, mediaItemId: string): boolean {
    const { index, provider, accountId } = this.options;
    const sha256 = index.mediaItems.get(mediaItemId)?.sha256;
    const upload = sha256 ? index.uploads.get(uploadId(provider.id, accountId, sha256)) : undefined;
    if (upload?.state === 'committed' && upload.mediaItemId === mediaItemId && side.onDisk.has(upload.localPath)) return true;
    return this.options.index.downloads.byMediaItem(mediaItemId).some((d) => d.state === 'downloaded' && d.localPath.startsWith(side.root + path.sep));
  }
}
