// A folder of many small real JPEGs (one template with a numbered comment segment, so every file has
// its own bytes) in 100 sub-folders, its scan, and the index set so the plan meets every case:
// already uploaded (1 in 10), in the library but not in its album (1 in 10), an interrupted upload
// with a receipt (1 in 10), bytes refused before (1 in 10), duplicates of another file (1 in 10),
// edited since the last scan (1 in 10), the rest new; a skipped @eaDir folder, unsupported files.
// Used by the 100,000-file review test and its benchmark (test/bench/review.bench.ts).
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createDestination } from '../../src/destinations/factory';
import { ENDPOINT_KEYS, type Endpoints } from '../../src/google/endpoints';
import { openIndex } from '../../src/index/openIndex';
import type { MediaItemRecord, PhotoIndex } from '../../src/index/api';
import { parseSyncFolders, type SyncFolder } from '../../src/sync/config';
import type { ScannedFile } from '../../src/sync/scan';
import type { ScanStep, UploadPipeline } from '../../src/sync/upload/pipeline';
import { uploadId } from '../../src/sync/plan';
import { TaskQueue } from '../../src/tasks/queue';
import { nullLogger } from '../../src/util/logger';
import { makeJpeg, tempDir } from '../unit/sync-fixtures';

export const ACCOUNT = 'review-bench';
const FOLDERS = 100;

/** A valid JPEG whose bytes depend on `key` (a COM segment right after SOI). */
function photo(template: Buffer, key: number): Buffer {
  const text = Buffer.from(`photo ${key}`, 'latin1');
  const com = Buffer.alloc(4);
  com.writeUInt16BE(0xfffe, 0);
  com.writeUInt16BE(text.length + 2, 2);
  return Buffer.concat([template.subarray(0, 2), com, text, template.subarray(2)]);
}

/** Which content file i has: every 10th from 4 on repeats its neighbour's bytes (a duplicate). */
const contentOf = (i: number) => (i % 10 === 4 ? i + 1 : i);

export interface ReviewFolder {
  root: string;
  folder: SyncFolder;
  index: PhotoIndex;
  pipeline: UploadPipeline;
  scans: ScanStep[];
  files: number;
}

export async function makeReviewFolder(count: number, log: (line: string) => void = () => undefined): Promise<ReviewFolder> {
  const root = path.join(await tempDir('photosync-review-'), 'Photos');
  const template = makeJpeg(1);
  let t = Date.now();
  for (let d = 0; d < FOLDERS; d++) {
    const dir = path.join(root, `Album ${String(d).padStart(3, '0')}`);
    await fs.mkdir(dir, { recursive: true });
    const writes: Promise<void>[] = [];
    for (let i = d; i < count; i += FOLDERS) writes.push(fs.writeFile(path.join(dir, `IMG_${String(i).padStart(6, '0')}.jpg`), photo(template, contentOf(i))));
    await Promise.all(writes);
  }
  await fs.mkdir(path.join(root, '@eaDir'), { recursive: true });
  await fs.writeFile(path.join(root, '@eaDir', 'thumb.jpg'), photo(template, -1));
  const notes = Math.ceil(count / 1000);
  for (let i = 0; i < notes; i++) await fs.writeFile(path.join(root, `notes ${i}.txt`), `notes ${i}`);
  log(`made ${count.toLocaleString('en-US')} files in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const folder = parseSyncFolders([{ path: root, album: { mode: 'subfolders' } }], path.isAbsolute).folders[0];
  const index = await openIndex({ storageDir: await tempDir('photosync-review-index-'), wasmDir: path.join(process.cwd(), 'node_modules/sql.js/dist'), watch: false });
  const queue = new TaskQueue({ concurrency: { upload: 4 } });
  const tokenSource = { getAccessToken: () => Promise.reject(new Error('the review sends nothing')) };
  // Nowhere: planning for Google Photos sends no request.
  const endpoints = Object.fromEntries(ENDPOINT_KEYS.map((k) => [k, `http://127.0.0.1:9/${k}`])) as unknown as Endpoints;
  const { pipeline } = await createDestination('google-photos', { index, queue, accountId: ACCOUNT, tokenSource, endpoints, log: nullLogger });

  // The scan as the scanner makes it (sorted folder by folder, hashed), built from what was written:
  // hashing 100,000 files again would only measure the disk. Its rows recorded in the index.
  t = Date.now();
  const files: ScannedFile[] = [];
  for (let d = 0; d < FOLDERS; d++) {
    const album = `Album ${String(d).padStart(3, '0')}`;
    for (let i = d; i < count; i += FOLDERS) {
      const bytes = photo(template, contentOf(i));
      const name = `IMG_${String(i).padStart(6, '0')}.jpg`;
      const rel = `${album}/${name}`;
      files.push({ path: path.join(root, album, name), rel, name, size: bytes.length, mtimeMs: 0, status: 'candidate', kind: 'photo', mimeType: 'image/jpeg', sha256: createHash('sha256').update(bytes).digest('hex'), changed: true, albumTitle: album });
    }
  }
  for (let i = 0; i < notes; i++) files.push({ path: path.join(root, `notes ${i}.txt`), rel: `notes ${i}.txt`, name: `notes ${i}.txt`, size: 10, mtimeMs: 0, status: 'unsupported', reason: 'not a photo or video Google Photos accepts', changed: false });
  const scans: ScanStep[] = [{ folder, scan: { root, files, skippedFolders: ['@eaDir'], problems: [], missing: false } }];
  log(`hashed in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  // The index as earlier syncs left it.
  const byNumber = new Map(files.map((f) => [Number(/IMG_(\d+)/.exec(f.name)?.[1] ?? -1), f]));
  await index.write((w) => {
    // What the last scan recorded; 1 in 10 with other bytes then (edited since): "changed".
    for (const [i, f] of byNumber) {
      if (i >= 0) w.localFiles.upsert({ path: f.path, size: f.size, mtimeMs: f.mtimeMs, sha256: i % 10 === 6 ? `${f.sha256!.startsWith('0') ? '1' : '0'}${f.sha256!.slice(1)}` : f.sha256, status: 'pending' });
    }
    const albums = new Map<string, string>();
    const items: MediaItemRecord[] = [];
    const members = new Map<string, string[]>();
    for (const [i, f] of byNumber) {
      if (i < 0 || !f.sha256 || !f.albumTitle) continue;
      const kind = i % 10;
      if (kind === 0 || kind === 1) {
        const id = `item-${i}`;
        items.push({ id, accountId: ACCOUNT, provider: 'google-photos', filename: f.name, mimeType: 'image/jpeg', sha256: f.sha256, size: f.size, appCreated: true });
        if (kind === 0) {
          let albumId = albums.get(f.albumTitle);
          if (!albumId) {
            albums.set(f.albumTitle, (albumId = `album-${albums.size}`));
            w.albums.upsert({ id: albumId, accountId: ACCOUNT, provider: 'google-photos', title: f.albumTitle, appCreated: true });
          }
          members.set(albumId, [...(members.get(albumId) ?? []), id]);
        }
      } else if (kind === 2 || kind === 3) {
        const id = uploadId('google-photos', ACCOUNT, f.sha256);
        w.uploads.upsert(
          kind === 2
            ? { id, provider: 'google-photos', accountId: ACCOUNT, localPath: f.path, sha256: f.sha256, size: f.size, state: 'uploaded', receipt: `token-${i}`, receiptExpiresAt: Date.now() + 20 * 3600_000 }
            : { id, provider: 'google-photos', accountId: ACCOUNT, localPath: f.path, sha256: f.sha256, size: f.size, state: 'rejected', lastError: 'Failed: There was an error while trying to create this media item.' },
        );
      }
    }
    w.mediaItems.upsertMany(items);
    for (const [albumId, ids] of members) w.mediaItems.addToAlbum(albumId, ids);
  });
  await index.flush();
  return { root, folder, index, pipeline, scans, files: count };
}

/** The longest the event loop went without turning while `work` ran (a 1 ms interval probe), and the total time. */
export async function longestStall<T>(work: () => Promise<T>): Promise<{ result: T; stallMs: number; totalMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const probe = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last);
    last = now;
  }, 1);
  const started = performance.now();
  try {
    const result = await work();
    const totalMs = performance.now() - started;
    stallMs = Math.max(stallMs, performance.now() - last);
    return { result, stallMs, totalMs };
  } finally {
    clearInterval(probe);
  }
}
