// The provider contract (as rclone's fstests runs every backend through the same tests): what every
// destination must do behind the PhotoProvider interface, and the upload pipeline's scenarios run
// against it without the pipeline knowing which destination it drives. Each destination's test file
// calls `providerContract(target)`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { LocalUpload } from '../../src/sync/provider';
import type { TaskGroup } from '../../src/tasks/api';
import { DownloadPipeline } from '../../src/sync/download/pipeline';
import { DEFAULT_DOWNLOAD_SETTINGS } from '../../src/sync/download/settings';
import { albumSource } from '../../src/sync/download/source';
import { nullLogger } from '../../src/util/logger';
import { waitFor } from '../helpers/waitFor';
import { folder } from '../integration/sync-harness';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import type { ContractRig, ContractTarget } from './rigs';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function localFile(name: string, bytes: Buffer): Promise<LocalUpload> {
  const p = path.join(await tempDir('photosync-contract-file-'), name);
  await fs.writeFile(p, bytes);
  const s = await fs.stat(p);
  return { path: p, fileName: name, mimeType: 'image/jpeg', size: s.size, mtimeMs: s.mtimeMs, sha256: sha(bytes) };
}

async function withRig(target: ContractTarget, run: (rig: ContractRig) => Promise<void>): Promise<void> {
  const rig = await target.start();
  try {
    await run(rig);
  } finally {
    await rig.close();
  }
}

/** Runs a sync and closes "VS Code" once `when` says so: running calls aborted, queue stopped, index saved. */
async function syncAndClose(rig: ContractRig, folders: Parameters<ContractRig['pipeline']['sync']>[0], when: (group: TaskGroup) => boolean): Promise<void> {
  let closing: Promise<void> | undefined;
  const queue = rig.queue;
  await rig.pipeline.sync(folders, {
    onGroup: (group) => {
      const check = () => {
        if (!closing && when(group)) closing = new Promise<void>((r) => setImmediate(r)).then(() => (group.cancel(), queue.dispose()));
      };
      check();
      group.onProgress(check);
    },
  });
  await closing;
}

export function providerContract(target: ContractTarget): void {
  describe(`provider contract: ${target.name}`, () => {
    test('containers are created (around a first item where they cannot be empty), listed, and items added and removed', () =>
      withRig(target, async ({ provider }) => {
        const a = await localFile('a.jpg', makeJpeg(9001));
        const b = await localFile('b.jpg', makeJpeg(9002));
        const results = await provider.commit(undefined, [
          { receipt: await provider.uploadBytes(a), file: a },
          { receipt: await provider.uploadBytes(b), file: b },
        ]);
        const [itemA, itemB] = results.map((r) => (r.ok ? r.item.id : assert.fail(r.message)));
        if (!provider.rules.emptyContainers) await assert.rejects(provider.createContainer('Empty'), 'an album that cannot be empty needs its first item');
        const album = await provider.createContainer('Trip ✈️', { firstItemId: provider.rules.emptyContainers ? undefined : itemA });
        assert.equal(album.title, 'Trip ✈️');
        await provider.addToContainer(album.id, [itemA, itemB]);
        const listed = [];
        for await (const c of provider.listContainers()) listed.push(c.title);
        assert.ok(listed.includes('Trip ✈️'));
        const inAlbum = async () => {
          const ids = [];
          for await (const item of provider.listItems(album.id)) ids.push(item.id);
          return ids.sort();
        };
        assert.deepEqual(await inAlbum(), [itemA, itemB].sort());
        await provider.removeFromContainer(album.id, [itemB]);
        assert.deepEqual(await inAlbum(), [itemA]);
        const found = await provider.getItems([itemA, 'no-such-item-0000']);
        assert.ok(!(found.get(itemA) instanceof Error));
        assert.ok(found.get('no-such-item-0000') instanceof Error);
      }));

    test('a commit reports per item: good receipts become items in the album, an unusable one fails alone', () =>
      withRig(target, async (rig) => {
        const { provider } = rig;
        const a = await localFile('good-a.jpg', makeJpeg(9011));
        const b = await localFile('good-b.jpg', makeJpeg(9012));
        const receiptA = await provider.uploadBytes(a);
        const receiptB = await provider.uploadBytes(b);
        const first = await provider.commit(undefined, [{ receipt: receiptA, file: a }]);
        assert.ok(first[0].ok);
        const album = await provider.createContainer('Partial', { firstItemId: first[0].item.id });
        // Where albums start empty, the first item joins like any other.
        if (provider.rules.emptyContainers) await provider.addToContainer(album.id, [first[0].item.id]);
        const results = await provider.commit(album.id, [
          { receipt: receiptB, file: b },
          { receipt: { token: 'no-such-receipt' }, file: { ...b, fileName: 'bogus.jpg' } },
        ]);
        assert.equal(results.length, 2);
        assert.ok(results[0].ok);
        assert.ok(!results[1].ok && ['resend', 'rejected'].includes(results[1].outcome) && results[1].message.length > 0);
        const remote = await rig.remote();
        const inAlbum = remote.albums.find((x) => x.id === album.id)?.itemIds ?? [];
        assert.deepEqual(remote.items.filter((i) => inAlbum.includes(i.id)).map((i) => i.sha256).sort(), [a.sha256, b.sha256].sort());
      }));

    test('a receipt expires after the service’s receipt lifetime, or never where it has none', () =>
      withRig(target, async ({ provider }) => {
        const f = await localFile('receipt.jpg', makeJpeg(9021));
        const before = Date.now();
        const receipt = await provider.uploadBytes(f);
        const lifetime = provider.rules.receiptLifetimeMs;
        if (lifetime === undefined) assert.equal(receipt.expiresAt, undefined);
        else {
          assert.ok(receipt.expiresAt !== undefined && receipt.expiresAt >= before + lifetime && receipt.expiresAt <= Date.now() + lifetime, String(receipt.expiresAt));
        }
      }));

    test('a download gives back exactly the bytes sent', () =>
      withRig(target, async ({ provider }) => {
        const bytes = makeJpeg(9031, undefined, 48);
        const f = await localFile('round-trip.jpg', bytes);
        const [result] = await provider.commit(undefined, [{ receipt: await provider.uploadBytes(f), file: f }]);
        assert.ok(result.ok);
        const chunks: Uint8Array[] = [];
        const n = await provider.download(result.item, async (c) => void chunks.push(c));
        assert.equal(n, bytes.length);
        assert.equal(sha(Buffer.concat(chunks)), sha(bytes));
        if (provider.rules.remoteChecksum === 'sha256') assert.equal(result.item.checksum, sha(bytes), 'the service’s checksum matches the bytes');
      }));

    test('its errors classify by its own rules: quota spent until its reset, signed out needs the user, busy is retried', () =>
      withRig(target, async (rig) => {
        const { provider } = rig;
        const failure = async (kind: 'quota' | 'needs-user' | 'retry') => {
          await rig.provoke(kind);
          try {
            for await (const _ of provider.listContainers()) void _;
            return assert.fail(`no error for ${kind}`);
          } catch (err) {
            return err;
          } finally {
            await rig.clearFaults();
          }
        };
        const now = Date.now();
        assert.deepEqual(provider.rules.classify(await failure('quota'), now), { kind: 'quota', until: provider.rules.quota.resetsAt(now), label: provider.rules.quota.label });
        assert.equal(provider.rules.classify(await failure('needs-user'), now).kind, 'needs-user');
        assert.equal(provider.rules.classify(await failure('retry'), now).kind, 'retry');
        assert.equal(provider.rules.classify(new DOMException('stopped', 'AbortError'), now).kind, 'cancelled');
      }));

    pipelineScenarios(target);
  });
}

function pipelineScenarios(target: ContractTarget): void {
  test('download pipeline: an uploaded album comes back byte for byte into photos/YYYY/MM with album entries; a transient failure is retried; a second run fetches nothing', () =>
    withRig(target, async (rig) => {
      const root = path.join(await tempDir(), 'Round');
      const files = { 'one.jpg': makeJpeg(9101, undefined, 32), 'two.jpg': makeJpeg(9102, { original: '2021:03:04 05:06:07' }, 32) };
      await writeTree(root, files);
      await rig.pipeline.sync([folder({ path: root, album: { mode: 'fixed', name: 'Round Trip' } })]);
      const album = (await rig.remote()).albums.find((a) => a.title === 'Round Trip');
      assert.ok(album, 'the album exists');
      const downloads = new DownloadPipeline({ provider: rig.provider, index: rig.index, queue: rig.queue, accountId: rig.accountId, log: nullLogger });
      const into = await tempDir('photosync-contract-download-');
      await rig.failDownloads(1);
      const plan = await downloads.plan(albumSource(rig.provider, { id: album.id, title: album.title }), into, DEFAULT_DOWNLOAD_SETTINGS);
      assert.equal(plan.downloads.length, 2);
      const report = await downloads.run(plan);
      assert.equal(report.downloaded, 2, JSON.stringify(report.failed));
      for (const file of report.files) {
        assert.match(path.relative(into, file), /^photos[\\/]\d{4}[\\/]\d{2}[\\/](one|two)\.jpg$/);
        const bytes = await fs.readFile(file);
        assert.equal(sha(bytes), sha(files[path.basename(file) as keyof typeof files]), `${path.basename(file)} is byte-identical`);
        const row = rig.index.downloads.byLocalPath(file);
        assert.equal(row?.state, 'downloaded');
        assert.equal(row?.sha256, sha(bytes));
        assert.equal(row?.receivedSha256, sha(bytes));
      }
      assert.equal(report.links.symlink + report.links.hardlink, 2, 'an album entry per file');
      const again = await downloads.plan(albumSource(rig.provider, { id: album.id, title: album.title }), into, DEFAULT_DOWNLOAD_SETTINGS);
      assert.equal(again.downloads.length, 0);
      assert.equal(again.already, 2);
    }));

  test('pipeline: folder rules — one album per sub-folder, _merge folders join their parent, skipped folders and hidden files stay out', () =>
    withRig(target, async (rig) => {
      const root = path.join(await tempDir(), 'Holidays');
      const files = { 'top.jpg': makeJpeg(9101), 'Rome/r1.jpg': makeJpeg(9102), 'Rome/_raw/r2.jpg': makeJpeg(9103), 'Paris/p1.jpg': makeJpeg(9104), '.hidden/h.jpg': makeJpeg(9105), '@eaDir/t.jpg': makeJpeg(9106), 'Paris/.DS_Store': 'x' };
      await writeTree(root, files);
      const { report } = await rig.pipeline.sync([folder({ path: root })]);
      assert.deepEqual(report.failed, []);
      assert.equal(report.uploaded, 4);
      const remote = await rig.remote();
      const shaOf = new Map(remote.items.map((i) => [i.id, i.sha256]));
      const album = (title: string) => (remote.albums.find((a) => a.title === title)?.itemIds ?? []).map((id) => shaOf.get(id)).sort();
      assert.deepEqual(album('Holidays'), [sha(files['top.jpg'])]);
      assert.deepEqual(album('Rome'), [sha(files['Rome/r1.jpg']), sha(files['Rome/_raw/r2.jpg'])].sort());
      assert.deepEqual(album('Paris'), [sha(files['Paris/p1.jpg'])]);
      assert.equal(remote.items.length, 4, 'nothing from skipped folders or hidden files');
    }));

  test('pipeline: content is sent once — a renamed file and a second sync send nothing; a copy in another folder joins that album without bytes', () =>
    withRig(target, async (rig) => {
      const root = path.join(await tempDir(), 'Lib');
      const same = makeJpeg(9111);
      await writeTree(root, { 'A/x.jpg': same, 'A/y.jpg': makeJpeg(9112) });
      const f = folder({ path: root });
      await rig.pipeline.sync([f]);
      const sent = await rig.uploadsSent();
      await fs.rename(path.join(root, 'A/x.jpg'), path.join(root, 'A/renamed.jpg'));
      await writeTree(root, { 'B/copy-of-x.jpg': same });
      const { plan, report } = await rig.pipeline.sync([f]);
      assert.equal(plan.uploads.length, 0);
      assert.equal(report.added, 1);
      assert.equal(await rig.uploadsSent(), sent, 'no bytes sent again');
      const remote = await rig.remote();
      assert.equal(remote.items.length, 2);
      const x = remote.items.find((i) => i.sha256 === sha(same));
      assert.ok(x && remote.albums.find((a) => a.title === 'B')?.itemIds.includes(x.id));
      assert.equal((await rig.pipeline.sync([f])).plan.uploads.length + (await rig.pipeline.sync([f])).plan.adds.length, 0);
    }));

  test('pipeline: a damaged file is skipped with its reason before any request, for every service; transient commit failures are retried', () =>
    withRig(target, async (rig) => {
      // Bytes that are no photo under a photo's name: caught by sync/damage.ts before the service sees
      // them (no upload, no quota), whatever the service would have done with them. (A refusal by the
      // service itself — bytes not judged here — is covered by sync-faults on the Google emulator.)
      const root = path.join(await tempDir(), 'Mixed');
      const broken = rig.refusedBytes() ?? Buffer.from('not a photo, whatever its name says');
      await writeTree(root, { 'ok1.jpg': makeJpeg(9121), 'ok2.jpg': makeJpeg(9122), 'broken.jpg': broken });
      await rig.failCommits(1);
      const { plan, report } = await rig.pipeline.sync([folder({ path: root })]);
      assert.deepEqual(plan.damaged.map((d) => d.file.name), ['broken.jpg']);
      assert.equal(report.uploaded, 2);
      assert.deepEqual(report.failed, []);
      assert.ok(report.warnings.some((w) => /broken\.jpg/.test(w) && /damaged/.test(w)), report.warnings.join(' | '));
      assert.equal((await rig.remote()).items.length, 2);
      assert.ok(!(await rig.remote()).items.some((i) => i.sha256 === sha(broken)), 'the damaged bytes never reached the service');
      const row = rig.index.localFiles.byPath(path.join(root, 'broken.jpg'));
      assert.equal(row?.status, 'skipped');
      assert.match(row?.lastError ?? '', /^damaged: /);
      const again = await rig.pipeline.sync([folder({ path: root })]);
      assert.equal(again.plan.uploads.length, 0, 'damaged bytes are not sent on the next sync either');
      assert.equal(again.plan.damaged.length, 1);
    }));

  test('pipeline: the window closes while commits are in flight; the next start finishes every file exactly once without sending bytes again', () =>
    withRig(target, async (rig) => {
      const root = path.join(await tempDir(), 'Crash');
      const files: Record<string, Buffer> = {};
      for (let i = 0; i < 12; i++) files[`img${i}.jpg`] = makeJpeg(9200 + i);
      await writeTree(root, files);
      const f = folder({ path: root });
      await rig.slowWrites(400);
      await syncAndClose(rig, [f], (g) => g.progress().done >= 12);
      await rig.clearFaults();
      const sent = await rig.uploadsSent();
      await rig.restart();
      const plan = await rig.pipeline.planUnfinished([f]);
      assert.ok(plan, 'something was left to finish');
      const report = await rig.pipeline.run(plan);
      assert.deepEqual(report.failed, []);
      assert.equal(await rig.uploadsSent(), sent, 'receipts were committed, not bytes sent again');
      const remote = await rig.remote();
      assert.deepEqual(remote.items.map((i) => i.sha256).sort(), Object.values(files).map(sha).sort(), 'every file exactly once');
      assert.equal(remote.albums.filter((a) => a.title === 'Crash').length, 1);
      assert.equal(remote.albums.find((a) => a.title === 'Crash')?.itemIds.length, 12);
    }));

  test('pipeline: an album add interrupted by closing the window is finished by the resume, not left "to upload"', () =>
    withRig(target, async (rig) => {
      const base = await tempDir();
      const bytes = makeJpeg(9301);
      await writeTree(path.join(base, 'First'), { 'a.jpg': bytes });
      await rig.pipeline.sync([folder({ path: path.join(base, 'First') })]);
      // The same photo in a new folder: only an add to the new album is needed, no bytes.
      const second = folder({ path: path.join(base, 'Second') });
      await writeTree(second.path, { 'copy.jpg': bytes });
      await rig.slowWrites(400);
      // Closed as soon as the add is under way.
      await syncAndClose(rig, [second], (g) => g.progress().running > 0);
      await rig.clearFaults();
      await rig.restart();
      assert.equal(rig.index.localFiles.byPath(path.join(second.path, 'copy.jpg'))?.status, 'pending', 'precondition: the add was not done');
      const plan = await rig.pipeline.planUnfinished([second]);
      assert.equal(plan?.adds.length, 1, 'the resume plans the add');
      if (plan) await rig.pipeline.run(plan);
      await waitFor('the add to land', async () => (await rig.remote()).albums.find((a) => a.title === 'Second')?.itemIds.length === 1);
      assert.equal(rig.index.localFiles.byPath(path.join(second.path, 'copy.jpg'))?.status, 'uploaded');
      assert.equal((await rig.remote()).items.length, 1);
      const again = await rig.pipeline.sync([second]);
      assert.equal(again.plan.uploads.length + again.plan.adds.length, 0, 'nothing left to do');
    }));
}
