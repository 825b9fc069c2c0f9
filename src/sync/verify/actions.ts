// What the user can do about Verify's findings: forget index rows, re-upload (the index is told what
// the destination lost, then the folder's upload pipeline does the rest: a new upload, an album add or
// a new album), and re-download a missing file into the place it was, through the download pipeline.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { PhotoIndex } from '../../index/api';
import { compileLayout } from '../../localfs/layout';
import type { DownloadPipeline, DownloadReport } from '../download/pipeline';
import { DEFAULT_DOWNLOAD_SETTINGS, type DownloadSettings } from '../download/settings';
import type { DownloadSource } from '../download/source';
import { uploadId } from '../plan';
import type { PhotoProvider, RemoteItem } from '../provider';
import type { TaskGroup } from '../../tasks/api';
import type { Finding } from './types';
import { l10nOr, type SyncL10n } from '../l10n';

/** Drops what the index knows about the findings' files (and, for items gone remotely, the items). */
export async function forgetFindings(index: PhotoIndex, provider: PhotoProvider, accountId: string, findings: readonly Finding[]): Promise<number> {
  return index.write((w) => {
    let n = 0;
    for (const f of findings) {
      if (f.kind === 'missing-locally' || f.kind === 'orphan') {
        if (f.path && w.localFiles.byPath(f.path)) {
          w.localFiles.remove(f.path);
          n++;
        }
      }
      if ((f.kind === 'missing-remotely' && !f.album) || (f.kind === 'orphan' && f.mediaItemId)) {
        if (f.mediaItemId) w.mediaItems.remove(f.mediaItemId);
        if (f.sha256) w.uploads.remove(uploadId(provider.id, accountId, f.sha256));
        if (f.path && w.localFiles.byPath(f.path)) w.localFiles.setStatus(f.path, 'hashed');
        n++;
      } else if (f.kind === 'missing-remotely' && f.album && f.mediaItemId) {
        w.mediaItems.removeFromAlbum(f.album.id, [f.mediaItemId]);
        n++;
      }
    }
    return n;
  });
}

/**
 * Tells the index what the destination lost, so the upload pipeline's next plan sends it again: an item
 * deleted there is forgotten (its bytes are uploaded again), an item removed from its album is no
 * longer counted in it (added back), a deleted album is forgotten (made again). Returns the folders to sync.
 */
export async function prepareReupload(index: PhotoIndex, provider: PhotoProvider, accountId: string, findings: readonly Finding[]): Promise<string[]> {
  await index.write((w) => {
    for (const f of findings) {
      if (f.kind !== 'missing-remotely' || !f.mediaItemId) continue;
      if (!f.album) {
        w.mediaItems.remove(f.mediaItemId);
        if (f.sha256) w.uploads.remove(uploadId(provider.id, accountId, f.sha256));
        if (f.path && w.localFiles.byPath(f.path)) w.localFiles.setStatus(f.path, 'hashed');
      } else if (/was deleted/.test(f.detail)) {
        w.albums.remove(f.album.id);
      } else {
        w.mediaItems.removeFromAlbum(f.album.id, [f.mediaItemId]);
      }
    }
  });
  return [...new Set(findings.filter((f) => f.kind === 'missing-remotely' || f.kind === 'changed-locally' || f.kind === 'not-uploaded').map((f) => f.folder))];
}

/** Download settings that put an item back under its own name, bytes as the service sends them. */
export const RESTORE_SETTINGS: DownloadSettings = {
  ...DEFAULT_DOWNLOAD_SETTINGS,
  layout: compileLayout('{filename}'),
  albumLinks: false,
  sidecar: 'none',
  sidecarForJpeg: false,
  exif: { removeSoftware: false, addDateTimeOriginal: false },
};

/**
 * Downloads the items of 'missing-locally' findings back into the folders they were in (one plan per
 * folder; a name taken meanwhile gets " (1)", nothing is overwritten). Never into a sync folder that is
 * missing (an unplugged drive): that one is skipped with a reason.
 */
export async function restoreFindings(pipeline: DownloadPipeline, findings: readonly Finding[], options: { signal?: AbortSignal; onGroup?: (group: TaskGroup) => void; l10n?: SyncL10n } = {}): Promise<{ reports: DownloadReport[]; skipped: string[] }> {
  const l10n = l10nOr(options.l10n);
  const provider = pipeline.provider;
  const byDir = new Map<string, Finding[]>();
  const skipped: string[] = [];
  for (const f of findings) {
    if (f.kind !== 'missing-locally' || !f.mediaItemId || !f.path) continue;
    try {
      await fs.access(f.folder);
    } catch {
      skipped.push(`${f.path}: the sync folder ${f.folder} is not available`);
      continue;
    }
    const dir = path.dirname(f.path);
    byDir.set(dir, [...(byDir.get(dir) ?? []), f]);
  }
  const reports: DownloadReport[] = [];
  for (const [dir, list] of byDir) {
    await fs.mkdir(dir, { recursive: true });
    const ids = list.map((f) => f.mediaItemId as string);
    const names = new Map(list.map((f) => [f.mediaItemId as string, path.basename(f.path as string)]));
    const source: DownloadSource = {
      kind: 'album',
      key: `restore:${dir}`,
      title: l10n.t('Restore into {0}', path.basename(dir)),
      newestFirst: false,
      async *list(signal) {
        const found = await provider.getItems(ids, signal);
        for (const id of ids) {
          const item = found.get(id);
          if (item && !(item instanceof Error)) yield { ...item, filename: names.get(id) ?? item.filename } satisfies RemoteItem;
        }
      },
      refresh: (refreshIds, signal) => provider.getItems(refreshIds, signal),
      refreshBatch: provider.rules.maxBatch,
    };
    const plan = await pipeline.plan(source, dir, RESTORE_SETTINGS, { signal: options.signal, full: true });
    reports.push(await pipeline.run(plan, { title: list.length === 1 ? l10n.t('Re-downloading {0}', path.basename(list[0].path as string)) : l10n.t('Re-downloading {0} files', list.length), onGroup: options.onGroup }));
  }
  return { reports, skipped };
}
