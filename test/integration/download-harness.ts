// The real pieces a download runs on — emulator, signed-in Google Photos provider, sql.js index, task
// queue, the download pipeline and the Picker — for the download integration tests and the benchmark.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { SIGN_IN_SCOPES, PICKER_SCOPES } from '../../src/google/scopes';
import { GooglePickingService, PhotosPicker } from '../../src/destinations/googlePhotos/picker';
import { DownloadPipeline } from '../../src/sync/download/pipeline';
import { DEFAULT_DOWNLOAD_SETTINGS, type DownloadSettings } from '../../src/sync/download/settings';
import { PickerFlow, type PickerFlowDeps } from '../../src/sync/picker/flow';
import { nullLogger } from '../../src/util/logger';
import { emulatorTokenSource } from '../helpers/emulatorAuth';
import { ACCOUNT, folder, startRig, type Rig, type RigOptions } from './sync-harness';
import { tempDir, writeTree } from '../unit/sync-fixtures';

export { ACCOUNT, waitFor } from './sync-harness';

export const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export interface DownloadRig extends Rig {
  /** The download pipeline over the rig's current provider, index and queue (rebuilt after restart). */
  readonly downloads: DownloadPipeline;
  readonly picking: GooglePickingService;
  flow(extra?: Partial<PickerFlowDeps>): PickerFlow;
  settings: DownloadSettings;
}

/** A rig whose sign-in also granted the Picker scope. */
export async function startDownloadRig(options: RigOptions = {}): Promise<DownloadRig> {
  const rig = await startRig({ queue: { backoff: { baseMs: 20, maxMs: 200 } }, ...options });
  await rig.restart(undefined, await emulatorTokenSource(rig.emulator, [...SIGN_IN_SCOPES, ...PICKER_SCOPES]));
  let built: { key: unknown; downloads: DownloadPipeline; picking: GooglePickingService } | undefined;
  const current = () => {
    if (built?.key !== rig.index) {
      built = {
        key: rig.index,
        downloads: new DownloadPipeline({ provider: rig.provider, index: rig.index, queue: rig.queue, accountId: ACCOUNT, log: nullLogger }),
        picking: new GooglePickingService(new PhotosPicker(rig.provider.http, rig.emulator.endpoints.picker)),
      };
    }
    return built;
  };
  const extra = {
    get downloads() {
      return current().downloads;
    },
    get picking() {
      return current().picking;
    },
    settings: DEFAULT_DOWNLOAD_SETTINGS,
    flow(more: Partial<PickerFlowDeps> = {}) {
      const parts = current();
      return new PickerFlow({
        service: parts.picking,
        pipeline: parts.downloads,
        index: rig.index,
        accountId: ACCOUNT,
        log: nullLogger,
        // The session's 5 s pace, 50 times faster: the tests check the pace asked for, not the wall clock.
        sleep: (ms, signal) => new Promise((resolve, reject) => {
          const t = setTimeout(resolve, Math.max(1, ms / 50));
          signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
        }),
        ...more,
      });
    },
  };
  return Object.defineProperties(rig, Object.getOwnPropertyDescriptors(extra)) as DownloadRig;
}

/** Uploads `files` into a new album through the upload pipeline; returns the album's id. */
export async function uploadAlbum(rig: Rig, title: string, files: Record<string, Buffer>): Promise<string> {
  const root = path.join(await tempDir('photosync-upload-'), title.replace(/[^\w-]/g, '_'));
  await writeTree(root, files);
  const { report } = await rig.pipeline.sync([folder({ path: root, album: { mode: 'fixed', name: title } })]);
  if (report.failed.length) throw new Error(`upload failed: ${JSON.stringify(report.failed)}`);
  const album = (await rig.control.state()).albums.find((a) => a.title === title);
  if (!album) throw new Error(`album ${title} was not created`);
  return album.id;
}

/** Every file and link below `root` (hidden ones too), relative, sorted. */
export async function listTree(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await fs.readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out.push(path.relative(root, full));
    }
  };
  await walk(root);
  return out.sort();
}

/** Files whose name says they are temp files of a download in progress. */
export function partsIn(tree: readonly string[]): string[] {
  return tree.filter((f) => /(^|[\\/])\.photosync-\d+-[0-9a-f]+\.part$/.test(f) || /\.photo-sync-\d+-[0-9a-f]+\.tmp$/.test(f));
}

export async function downloadFolder(): Promise<string> {
  return fs.realpath(await tempDir('photosync-downloads-'));
}
