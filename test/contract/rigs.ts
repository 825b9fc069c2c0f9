// The destinations the contract suite runs: Google Photos and Flickr on the emulator, and the
// in-memory service whose rules differ on purpose. Each rig gives the suite the same handles: the provider and a
// pipeline built like the extension's, a view of what the service holds, and its faults.
import path from 'node:path';
import { openIndex } from '../../src/index/openIndex';
import type { PhotoIndex } from '../../src/index/api';
import { loadMediaTypes } from '../../src/metadata/mediaTypes';
import type { PhotoProvider } from '../../src/sync/provider';
import { UploadPipeline } from '../../src/sync/upload/pipeline';
import { createIndexJournal } from '../../src/tasks/indexJournal';
import { TaskQueue } from '../../src/tasks/queue';
import { nullLogger } from '../../src/util/logger';
import { googlePhotosRules } from '../../src/destinations/googlePhotos/rules';
import { startRig, type Rig } from '../integration/sync-harness';
import { startFlickrRig } from '../integration/flickr-harness';
import { ACCOUNT as DRIVE_ACCOUNT, driveView, startDriveRig } from '../integration/drive-sync-harness';
import { tempDir } from '../unit/sync-fixtures';
import { MemoryProvider, MemoryService, memoryRules } from './memoryProvider';

export interface RemoteState {
  items: { id: string; sha256: string }[];
  albums: { id: string; title: string; itemIds: string[] }[];
}

export interface ContractRig {
  provider: PhotoProvider;
  accountId: string;
  index: PhotoIndex;
  queue: TaskQueue;
  pipeline: UploadPipeline;
  /** What the service holds now. */
  remote(): Promise<RemoteState>;
  /** Byte uploads the service received (requests, retries included). */
  uploadsSent(): Promise<number>;
  /** Bytes this service refuses to keep as a photo; undefined where it keeps any bytes (Drive). */
  refusedBytes(): Buffer | undefined;
  /** The next `times` writes that create items (commits; Drive's uploads) fail with a transient error. */
  failCommits(times: number): Promise<void>;
  /** The next `times` byte downloads fail with a transient error. */
  failDownloads(times: number): Promise<void>;
  /** The next call fails the way this service says: its quota spent, the user signed out, or busy. */
  provoke(kind: 'quota' | 'needs-user' | 'retry'): Promise<void>;
  /** Every write (album create, commit, add) takes this long, so a test can close the window while one is in flight. */
  slowWrites(ms: number): Promise<void>;
  clearFaults(): Promise<void>;
  /** Closes queue and index (VS Code closing) and opens fresh ones on the same index file. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface ContractTarget {
  name: string;
  start(): Promise<ContractRig>;
}

export const googlePhotosTarget: ContractTarget = {
  name: 'Google Photos (emulator)',
  async start() {
    const rig: Rig = await startRig({ queue: { backoff: { baseMs: 10, maxMs: 100 } } });
    const handle: ContractRig = {
      accountId: 'acct-1',
      get provider() {
        return rig.provider;
      },
      get index() {
        return rig.index;
      },
      get queue() {
        return rig.queue;
      },
      get pipeline() {
        return rig.pipeline;
      },
      async remote() {
        const state = await rig.control.state();
        return {
          items: state.mediaItems.filter((m) => !m.seeded).map((m) => ({ id: m.id, sha256: m.sha256 })),
          albums: state.albums.map((a) => ({ id: a.id, title: a.title, itemIds: a.mediaItemIds })),
        };
      },
      async uploadsSent() {
        return (await rig.control.state()).requestCounts['library.uploads'] ?? 0;
      },
      refusedBytes: () => Buffer.from('this is not a photo, whatever its name says'),
      failCommits: (times) => rig.control.faults({ type: 'status', endpoint: 'library.mediaItems.batchCreate', status: 503, times }),
      failDownloads: (times) => rig.control.faults({ type: 'status', endpoint: 'media.library', status: 503, times }),
      async provoke(kind) {
        if (kind === 'quota') await rig.control.faults({ type: 'dailyQuota', limit: 0 });
        // GoogleHttp refreshes once on a 401; the second one is the answer.
        else if (kind === 'needs-user') await rig.control.faults({ type: 'status', endpoint: 'library.albums.list', status: 401, times: 2 });
        else await rig.control.faults({ type: 'status', endpoint: 'library.albums.list', status: 503, times: 1 });
      },
      slowWrites: (ms) =>
        rig.control.faults(['library.albums.create', 'library.mediaItems.batchCreate', 'library.albums.batchAddMediaItems'].map((endpoint) => ({ type: 'latency' as const, endpoint, ms }))),
      async clearFaults() {
        await rig.control.faults([{ type: 'clear' }, { type: 'dailyQuota', limit: 10_000 }]);
      },
      restart: () => rig.restart(),
      close: () => rig.close(),
    };
    return handle;
  },
};

export const memoryTarget: ContractTarget = {
  name: 'in-memory service (direct creates, no empty albums, hourly quota, checksums)',
  async start() {
    const service = new MemoryService();
    const rules = memoryRules(googlePhotosRules(await loadMediaTypes()).accepts);
    const provider = new MemoryProvider(service, rules);
    const storageDir = await tempDir('photosync-contract-');
    const build = async () => {
      const index = await openIndex({ storageDir, wasmDir: path.join(process.cwd(), 'node_modules/sql.js/dist'), watch: false, saveDebounceMs: 50, maxSaveDelayMs: 500 });
      const queue = new TaskQueue({ concurrency: { upload: 4 }, backoff: { baseMs: 10, maxMs: 100 }, journal: createIndexJournal(index) });
      const pipeline = new UploadPipeline({ provider, index, queue, accountId: 'acct-1', log: nullLogger });
      return { index, queue, pipeline };
    };
    let parts = await build();
    return {
      provider,
      accountId: 'acct-1',
      get index() {
        return parts.index;
      },
      get queue() {
        return parts.queue;
      },
      get pipeline() {
        return parts.pipeline;
      },
      async remote() {
        return {
          items: [...service.items.values()].map((i) => ({ id: i.id, sha256: i.sha256 })),
          albums: [...service.albums.values()].map((a) => ({ id: a.id, title: a.title, itemIds: [...a.itemIds] })),
        };
      },
      async uploadsSent() {
        return service.calls.get('items.upload') ?? 0;
      },
      refusedBytes: () => Buffer.from('BAD bytes, not a photo'),
      async failCommits(times) {
        service.faults.busy.set('items.commit', times);
      },
      async failDownloads(times) {
        service.faults.busy.set('items.download', times);
      },
      async provoke(kind) {
        if (kind === 'quota') service.faults.callsLeftThisHour = 0;
        else if (kind === 'needs-user') service.faults.signedOut = true;
        else service.faults.busy.set('albums.list', 1);
      },
      async slowWrites(ms) {
        service.faults.latencyMs = ms;
      },
      async clearFaults() {
        service.faults.busy.clear();
        service.faults.signedOut = false;
        service.faults.callsLeftThisHour = undefined;
        service.faults.latencyMs = 0;
      },
      async restart() {
        await parts.queue.dispose();
        await parts.index.dispose();
        parts = await build();
      },
      async close() {
        await parts.queue.dispose();
        await parts.index.dispose();
      },
    };
  },
};

export const googleDriveTarget: ContractTarget = {
  name: 'Google Drive (emulator)',
  async start() {
    const rig = await startDriveRig({ queue: { backoff: { baseMs: 10, maxMs: 100 } } });
    const writes = ['drive.files.create', 'drive.files.list', 'drive.files.copy', 'drive.files.update'];
    return {
      accountId: DRIVE_ACCOUNT,
      get provider() {
        return rig.provider;
      },
      get index() {
        return rig.index;
      },
      get queue() {
        return rig.queue;
      },
      get pipeline() {
        return rig.pipeline;
      },
      // Items are the app's photo files; a copy made for a second album stands for its origin.
      async remote() {
        const view = await driveView(rig.control);
        const itemOf = (f: { id: string }) => view.props(f as never).photoSyncOrigin ?? f.id;
        return {
          items: view.photos.filter((f) => !view.props(f).photoSyncOrigin).map((f) => ({ id: f.id, sha256: f.sha256 ?? '' })),
          albums: [...view.albums.values()].map((a) => ({ id: a.id, title: a.name, itemIds: view.inFolder(a.id).map(itemOf) })),
        };
      },
      async uploadsSent() {
        return (await rig.control.state()).requestCounts['drive.upload'] ?? 0;
      },
      // Drive keeps any bytes: nothing is refused for what it holds.
      refusedBytes: () => undefined,
      failCommits: (times) => rig.control.faults({ type: 'status', endpoint: 'drive.upload', status: 503, times }),
      async provoke(kind) {
        if (kind === 'quota') await rig.control.faults({ type: 'status', endpoint: 'drive.files.list', status: 403, reason: 'dailyLimitExceeded', times: 1 });
        // The client refreshes once on a 401; the second one is the answer.
        else if (kind === 'needs-user') await rig.control.faults({ type: 'status', endpoint: 'drive.files.list', status: 401, times: 2 });
        else await rig.control.faults({ type: 'status', endpoint: 'drive.files.list', status: 503, times: 1 });
      },
      slowWrites: (ms) => rig.control.faults(writes.map((endpoint) => ({ type: 'latency' as const, endpoint, ms }))),
      async clearFaults() {
        await rig.control.faults({ type: 'clear' });
      },
      failDownloads: (times) => rig.control.faults({ type: 'status', endpoint: 'drive.media', status: 503, times }),
      restart: () => rig.restart(),
      close: () => rig.close(),
    };
  },
};

export const flickrTarget: ContractTarget = {
  name: 'Flickr (emulator: photosets made around their first photo, direct creates, hourly limit)',
  async start() {
    const rig = await startFlickrRig();
    const handle: ContractRig = {
      accountId: rig.nsid,
      get provider() {
        return rig.provider;
      },
      get index() {
        return rig.index;
      },
      get queue() {
        return rig.queue;
      },
      get pipeline() {
        return rig.pipeline;
      },
      async remote() {
        const state = await rig.flickr.state();
        return {
          items: state.photos.filter((p) => p.owner === rig.nsid).map((p) => ({ id: p.id, sha256: p.sha256 })),
          albums: state.photosets.filter((s) => s.owner === rig.nsid).map((s) => ({ id: s.id, title: s.title, itemIds: s.photoIds })),
        };
      },
      async uploadsSent() {
        const counts = (await rig.flickr.state()).requestCounts;
        return ['upload', 'upload.async'].reduce((n, k) => n + (counts[k]?.ok ?? 0) + (counts[k]?.fail ?? 0), 0);
      },
      refusedBytes: () => Buffer.from('this is not a photo, whatever its name says'),
      // A commit's write on Flickr is photosets.addPhoto (or photosets.create for an album's first photo); 106 is "write failed".
      async failCommits(times) {
        await rig.flickr.faults([
          { type: 'error', method: 'flickr.photosets.addPhoto', code: 106, times },
          { type: 'error', method: 'flickr.photosets.create', code: 106, times },
        ]);
      },
      // Original photos come from Flickr's static photo host; a busy one answers 503.
      async failDownloads(times) {
        await rig.control.faults({ type: 'status', endpoint: 'flickr.photos', status: 503, times });
      },
      async provoke(kind) {
        if (kind === 'quota') await rig.flickr.faults({ type: 'rateLimit', perHour: 0 });
        else if (kind === 'needs-user') await rig.flickr.faults({ type: 'error', method: 'flickr.photosets.getList', code: 98, times: 1 });
        else await rig.flickr.faults({ type: 'error', method: 'flickr.photosets.getList', code: 105, times: 1 });
      },
      async slowWrites(ms) {
        await rig.control.faults({ type: 'latency', endpoint: 'flickr.rest', ms });
      },
      async clearFaults() {
        await rig.control.faults({ type: 'clear' });
        await rig.flickr.faults([{ type: 'clear' }, { type: 'rateLimit', perHour: 3600 }]);
      },
      restart: () => rig.restart(),
      close: () => rig.close(),
    };
    return handle;
  },
};
