// Verify Backup on the real pieces: the download rig (emulator, Google Photos provider, index, queue,
// download pipeline) plus a synced folder, and the helpers the verify tests share.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { VerifyRun, type VerifyOptions } from '../../src/sync/verify/run';
import type { Finding, FindingKind, VerifyReport } from '../../src/sync/verify/types';
import { startDownloadRig, type DownloadRig } from './download-harness';
import { ACCOUNT, folder } from './sync-harness';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import type { SyncFolder } from '../../src/sync/config';

export const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

export interface VerifyRig extends DownloadRig {
  root: string;
  files: Record<string, Buffer>;
  folder: SyncFolder;
  verify(options?: Partial<VerifyOptions>): VerifyRun;
  /** The emulator's item id of a file's bytes. */
  itemOf(rel: string): Promise<string>;
  /** The emulator's album id by title. */
  albumOf(title: string): Promise<string>;
}

/** A folder "Holidays" with sub-folder albums, synced to the emulator. */
export async function startVerifyRig(files: Record<string, Buffer> = defaultFiles()): Promise<VerifyRig> {
  const rig = (await startDownloadRig()) as VerifyRig;
  rig.root = path.join(await tempDir('photosync-verify-'), 'Holidays');
  rig.files = files;
  await writeTree(rig.root, files);
  rig.folder = folder({ path: rig.root });
  const { report } = await rig.pipeline.sync([rig.folder]);
  if (report.failed.length) throw new Error(`sync failed: ${JSON.stringify(report.failed)}`);
  rig.verify = (options = {}) => new VerifyRun({ provider: rig.provider, index: rig.index, accountId: ACCOUNT, folders: [rig.folder], retryDelayMs: 10, ...options });
  rig.itemOf = async (rel) => {
    const state = await rig.control.state();
    const item = state.mediaItems.find((m) => m.sha256 === sha(files[rel]));
    if (!item) throw new Error(`no item for ${rel}`);
    return item.id;
  };
  rig.albumOf = async (title) => {
    const album = (await rig.control.state()).albums.find((a) => a.title === title);
    if (!album) throw new Error(`no album ${title}`);
    return album.id;
  };
  return rig;
}

export function defaultFiles(): Record<string, Buffer> {
  return {
    'top.jpg': makeJpeg(101),
    'Rome/r1.jpg': makeJpeg(102),
    'Rome/r2.jpg': makeJpeg(103),
    'Rome/r3.jpg': makeJpeg(104),
    'Paris/p1.jpg': makeJpeg(105),
    'Paris/p2.jpg': makeJpeg(106),
  };
}

/** The findings of a kind as "rel: detail" lines, sorted. */
export function found(report: VerifyReport, kind: FindingKind): string[] {
  return report.findings
    .filter((f) => f.kind === kind)
    .map((f) => f.rel ?? f.path ?? f.folder)
    .sort();
}

export function findingOf(report: VerifyReport, kind: FindingKind, rel: string): Finding {
  const f = report.findings.find((x) => x.kind === kind && x.rel === rel);
  if (!f) throw new Error(`no ${kind} finding for ${rel}: ${JSON.stringify(report.findings, null, 1)}`);
  return f;
}
