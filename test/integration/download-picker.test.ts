// Import from Google Photos (the Picker) against the emulator: the session's life (request id, pace,
// time to pick, cancel, delete), what lands on disk, and picked items the service refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import exifr from 'exifr';
import { stripGps } from '../emulator/exif';
import { callJson, rawUpload } from '../emulator/test-client';
import { readXmpSidecar } from '../../src/metadata/sidecar';
import { RunLeases } from '../../src/sync/runLease';
import { nullLogger } from '../../src/util/logger';
import { makeJpeg } from '../unit/sync-fixtures';
import { downloadFolder, listTree, partsIn, sha, startDownloadRig, type DownloadRig } from './download-harness';

const LIBRARY = 'test/fixtures/photos';

/** Ids of seeded library items by file name (what the user sees in the picker). */
async function libraryIds(rig: DownloadRig, names: string[]): Promise<string[]> {
  const state = await rig.control.state();
  return names.map((n) => {
    const item = state.mediaItems.find((m) => m.seeded && m.filename === n);
    if (!item) throw new Error(`${n} is not in the seeded library`);
    return item.id;
  });
}

/** Puts items with the given names straight into the user's library (as another app or the web would). */
async function addToLibrary(rig: DownloadRig, files: { name: string; bytes: Buffer; mimeType?: string }[]): Promise<string[]> {
  const token = await rig.tokens.getAccessToken([]);
  const newMediaItems = [];
  for (const f of files) newMediaItems.push({ simpleMediaItem: { uploadToken: await rawUpload(rig.emulator.endpoints.library, token, f.bytes, undefined, f.mimeType), fileName: f.name } });
  const res = await callJson<{ newMediaItemResults: { mediaItem?: { id: string }; status?: unknown }[] }>(`${rig.emulator.endpoints.library}/v1/mediaItems:batchCreate`, token, 'POST', { newMediaItems });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body.newMediaItemResults.map((r) => {
    if (!r.mediaItem) throw new Error(`not created: ${JSON.stringify(r.status)}`);
    return r.mediaItem.id;
  });
}

test('Import from Google Photos: a session with a UUID v4 request id and the item cap, polled at its own pace; three picked photos land in photos/YYYY/MM as =d serves them (no GPS), with createTime mtimes; the session is deleted', async () => {
  const rig = await startDownloadRig();
  try {
    const names = ['DSCF2044.JPG', 'IMG_20190614_083012.jpg', 'PXL_20240101_000512.jpg'];
    const ids = await libraryIds(rig, names);
    const root = await downloadFolder();
    const requestId = randomUUID();
    const waits: number[] = [];
    const flow = rig.flow({
      newRequestId: () => requestId,
      sleep: async (ms) => void waits.push(ms),
    });
    let pickUrl = '';
    const result = await flow.import({
      folder: root,
      settings: rig.settings,
      maxItemCount: 3,
      onSession: async (info) => {
        pickUrl = info.pickUrl;
        await rig.control.pick(info.id, ids);
      },
    });
    assert.equal(result.kind, 'imported');
    if (result.kind !== 'imported') return;
    assert.match(pickUrl, /\/photos\/picker\/[^/]+\/autoclose$/, 'pickerUri + /autoclose');
    assert.deepEqual(waits, [5000], 'one poll, at the session’s 5 s interval');
    assert.equal(result.report.downloaded, 3, JSON.stringify(result.report.failed));

    const state = await rig.control.state();
    assert.equal(state.pickerSessions.length, 1);
    assert.equal(state.pickerSessions[0].maxItemCount, 3);
    assert.equal(state.pickerSessions[0].deleted, true, 'sessions.delete was called');
    assert.equal(state.requestCounts['picker.sessions.create'], 1);
    for (const name of names) {
      const original = await fs.readFile(path.join(LIBRARY, name));
      const item = state.mediaItems.find((m) => m.filename === name);
      const file = result.report.files.find((f) => path.basename(f) === name) as string;
      assert.ok(file, `${name} placed`);
      const year = item?.creationTime.slice(0, 4) as string;
      const month = item?.creationTime.slice(5, 7) as string;
      assert.equal(path.relative(root, file), path.join('photos', year, month, name));
      const onDisk = await fs.readFile(file);
      assert.equal(sha(onDisk), sha(stripGps(original)), `${name}: what =d serves`);
      assert.equal((await exifr.gps(onDisk).catch(() => undefined))?.latitude, undefined, `${name}: no location`);
      assert.equal((await fs.stat(file)).mtimeMs, Date.parse(item?.creationTime as string));
    }
    const session = rig.index.picker.session(result.sessionId);
    assert.equal(session?.state, 'downloaded');
    assert.equal(session?.remoteDeleted, true);
    assert.equal(session?.requestId, requestId);
    assert.deepEqual(rig.index.picker.countItems(result.sessionId), { downloaded: 3 });
    assert.deepEqual(partsIn(await listTree(root)), []);
  } finally {
    await rig.close();
  }
});

test('a create whose answer is lost is sent again with the same request id: one session, not two', async () => {
  const rig = await startDownloadRig();
  try {
    const body = JSON.stringify({ pickingConfig: { maxItemCount: '5' } });
    // The request arrives whole, the answer is cut after 20 bytes.
    await rig.control.faults({ type: 'reset', endpoint: 'picker.sessions.create', afterBytes: body.length + 20, times: 1 });
    const root = await downloadFolder();
    const ids = await libraryIds(rig, ['DSC_0412.jpg']);
    const result = await rig.flow().import({ folder: root, settings: rig.settings, maxItemCount: 5, onSession: (info) => rig.control.pick(info.id, ids) });
    assert.equal(result.kind, 'imported');
    const state = await rig.control.state();
    assert.equal(state.requestCounts['picker.sessions.create'], 2, 'sent twice');
    assert.equal(state.pickerSessions.length, 1, 'one session');
  } finally {
    await rig.close();
  }
});

test('the user never comes back: the time to pick runs out, nothing is imported, the session is deleted; a session closed at Google ends the wait the same way; cancel deletes it too', async () => {
  const rig = await startDownloadRig();
  try {
    const root = await downloadFolder();
    // 31 minutes pass while we wait: Google's timeoutIn reaches 0.
    const timedOut = await rig.flow().import({ folder: root, settings: rig.settings, maxItemCount: 10, onSession: () => rig.control.faults({ type: 'advanceClock', ms: 31 * 60 * 1000 }) });
    assert.equal(timedOut.kind, 'expired');
    if (timedOut.kind === 'expired') assert.match(timedOut.message, /time to pick .* ran out/);
    // 61 minutes: the session itself expired (sessions.get answers 404).
    const gone = await rig.flow().import({ folder: root, settings: rig.settings, maxItemCount: 10, onSession: () => rig.control.faults({ type: 'advanceClock', ms: 61 * 60 * 1000 }) });
    assert.equal(gone.kind, 'expired');
    if (gone.kind === 'expired') assert.match(gone.message, /session ended/);
    const abort = new AbortController();
    const cancelled = await rig.flow().import({ folder: root, settings: rig.settings, maxItemCount: 10, signal: abort.signal, onSession: () => abort.abort() });
    assert.equal(cancelled.kind, 'cancelled');

    const state = await rig.control.state();
    assert.equal(state.pickerSessions.length, 3);
    assert.ok(state.pickerSessions.every((s) => s.deleted || Date.parse(s.expireTime) <= Date.parse(state.now)), JSON.stringify(state.pickerSessions));
    assert.deepEqual(rig.index.picker.undeleted('acct-1'), [], 'nothing left for the next start');
    assert.deepEqual(
      rig.index.picker.sessions({ accountId: 'acct-1' }).map((s) => s.state),
      ['expired', 'expired', 'cancelled'],
    );
    assert.deepEqual(await listTree(root), []);
  } finally {
    await rig.close();
  }
});

test('picked items answered 403 or 404 even with a fresh address fail alone with the reason; the others arrive; a video still processing is skipped', async () => {
  const rig = await startDownloadRig({ queue: { concurrency: { download: 1 }, backoff: { baseMs: 10, maxMs: 50 } }, emulator: { videoProcessingMs: 600_000 } });
  try {
    const clip = await fs.readFile('test/fixtures/media-validity/ok-clip.mp4');
    const [videoId] = await addToLibrary(rig, [{ name: 'new-clip.mp4', bytes: clip, mimeType: 'video/mp4' }]);
    const ids = await libraryIds(rig, ['DSCF3150.JPG', 'DSC_0977.jpg', 'IMG_0031.JPG']);
    const root = await downloadFolder();
    // The first two byte requests: 403, then (after a fresh listing) 403 again → that item fails.
    await rig.control.faults([
      { type: 'status', endpoint: 'media.picker', status: 403, times: 2 },
    ]);
    const result = await rig.flow().import({ folder: root, settings: rig.settings, maxItemCount: 10, onSession: (info) => rig.control.pick(info.id, [...ids, videoId]) });
    assert.equal(result.kind, 'imported');
    if (result.kind !== 'imported') return;
    assert.equal(result.report.downloaded, 2);
    assert.equal(result.report.failed.length, 1);
    assert.match(result.report.failed[0].message, /refused the download \(403 Forbidden\).*fresh address was refused too/);
    assert.equal(result.report.notReady.length, 1);
    assert.match(result.report.notReady[0].reason, /still being processed/);
    const counts = rig.index.picker.countItems(result.sessionId);
    assert.deepEqual(counts, { downloaded: 2, failed: 1, skipped: 1 });
    assert.equal(rig.index.picker.session(result.sessionId)?.state, 'partial');
    assert.equal((await rig.control.state()).pickerSessions[0].deleted, true);

    await rig.control.faults({ type: 'status', endpoint: 'media.picker', status: 404, times: 2 });
    const ids2 = await libraryIds(rig, ['IMG_0388.JPG']);
    const second = await rig.flow().import({ folder: root, settings: rig.settings, maxItemCount: 10, onSession: (info) => rig.control.pick(info.id, ids2) });
    assert.equal(second.kind === 'imported' && second.report.failed[0]?.message.includes('404'), true, JSON.stringify(second));
  } finally {
    await rig.close();
  }
});

test('hostile file names from the server never lead outside the download folder', async () => {
  const rig = await startDownloadRig();
  try {
    const parent = await downloadFolder();
    const root = path.join(parent, 'inside');
    await fs.mkdir(root);
    const hostile = ['../../../../../escape.jpg', '..\\..\\evil.jpg', 'C:\\Windows\\win.jpg', '/etc/passwd.jpg', 'CON.jpg', 'a\u0007b\u202egpj.exe.jpg', '...', ' trailing. '];
    const ids = await addToLibrary(rig, hostile.map((name, i) => ({ name, bytes: makeJpeg(700 + i, { original: '2022:02:02 02:02:02' }, 16) })));
    const result = await rig.flow().import({ folder: root, settings: rig.settings, maxItemCount: 20, onSession: (info) => rig.control.pick(info.id, ids) });
    assert.equal(result.kind, 'imported');
    if (result.kind !== 'imported') return;
    assert.equal(result.report.downloaded, hostile.length, JSON.stringify(result.report.failed));
    assert.deepEqual(await fs.readdir(parent), ['inside'], 'nothing beside the download folder');
    const tree = await listTree(root);
    assert.equal(tree.length, hostile.length);
    for (const f of tree) {
      assert.equal(path.dirname(f), path.join('photos', '2022', '02'), f);
      // eslint-disable-next-line no-control-regex -- control characters are what must not be there
      assert.doesNotMatch(path.basename(f), /[\\/:\u0000-\u001f\u202e]|^\.|[. ]$|^CON\./i, f);
    }
    assert.ok(tree.some((f) => f.endsWith('escape.jpg')));
  } finally {
    await rig.close();
  }
});

test('metadata: Artist and Copyright written, Software dropped, DateTimeOriginal added where missing (read back with exifr); a PNG gets an XMP sidecar; both hashes are recorded', async () => {
  const rig = await startDownloadRig();
  try {
    const png = await fs.readFile('test/fixtures/media-validity/ok-photo.png');
    const added = await addToLibrary(rig, [
      { name: 'undated.jpg', bytes: makeJpeg(801, undefined, 24) },
      { name: 'drawing.png', bytes: png, mimeType: 'image/png' },
    ]);
    const ids = [...(await libraryIds(rig, ['IMG_20190822_191544.jpg'])), ...added];
    const root = await downloadFolder();
    const settings = { ...rig.settings, exif: { artist: 'Alex Tester', copyright: '© 2026 Alex Tester', removeSoftware: true, addDateTimeOriginal: true } };
    const result = await rig.flow().import({ folder: root, settings, maxItemCount: 10, onSession: (info) => rig.control.pick(info.id, ids) });
    assert.equal(result.kind === 'imported' && result.report.downloaded, 3, JSON.stringify(result));
    if (result.kind !== 'imported') return;
    const state = await rig.control.state();
    const byName = (n: string) => result.report.files.find((f) => path.basename(f) === n) as string;

    const dated = byName('IMG_20190822_191544.jpg');
    const tags = await exifr.parse(dated, { pick: ['Artist', 'Copyright', 'Software', 'DateTimeOriginal'] });
    assert.equal(tags.Artist, 'Alex Tester');
    assert.equal(tags.Copyright, '© 2026 Alex Tester');
    assert.equal(tags.Software, undefined, 'Software dropped');
    assert.equal(tags.DateTimeOriginal.toISOString(), '2019-08-22T19:15:44.000Z', 'an existing date is kept');
    const row = rig.index.downloads.byLocalPath(dated);
    const served = stripGps(await fs.readFile(path.join(LIBRARY, 'IMG_20190822_191544.jpg')));
    assert.equal(row?.receivedSha256, sha(served), 'the bytes Google sent');
    assert.equal(row?.sha256, sha(await fs.readFile(dated)), 'the file as written');
    assert.notEqual(row?.sha256, row?.receivedSha256);
    const item = state.mediaItems.find((m) => m.filename === 'IMG_20190822_191544.jpg');
    assert.equal((await fs.stat(dated)).mtimeMs, Date.parse(item?.creationTime as string), 'mtime set after the EXIF edit');

    const undated = byName('undated.jpg');
    const created = state.mediaItems.find((m) => m.filename === 'undated.jpg')?.creationTime as string;
    const back = await exifr.parse(undated, { pick: ['DateTimeOriginal', 'OffsetTimeOriginal', 'Artist'] });
    assert.equal(back.Artist, 'Alex Tester');
    assert.equal(back.OffsetTimeOriginal, '+00:00');
    assert.equal(Math.floor(Date.parse(created) / 1000), Math.floor(back.DateTimeOriginal.getTime() / 1000), 'the capture time, in UTC');

    const drawing = byName('drawing.png');
    assert.equal(sha(await fs.readFile(drawing)), sha(png), 'a PNG keeps its bytes');
    const xmp = await readXmpSidecar(drawing);
    const pngItem = state.mediaItems.find((m) => m.filename === 'drawing.png');
    assert.equal(xmp?.identifier, pngItem?.id);
    assert.equal(xmp?.width, 64);
    assert.equal(xmp?.height, 48);
    assert.equal(`${xmp?.dateTimeOriginal?.local}Z`.replace('+00:00', ''), new Date(Date.parse(pngItem?.creationTime as string)).toISOString().slice(0, 19) + 'Z');
    assert.equal(result.report.sidecars, 1, 'only the PNG: JPEGs carry their own EXIF');
    assert.equal(result.report.exifWritten, 2);
  } finally {
    await rig.close();
  }
});

test('VS Code closing while waiting leaves the session to the next start, which deletes it; closing mid-download leaves it to the next start, which finishes the downloads, then deletes it', async () => {
  const rig = await startDownloadRig({ queue: { concurrency: { download: 1 } } });
  try {
    const root = await downloadFolder();
    let closing = false;
    const abort = new AbortController();
    const waiting = await rig.flow({ closing: () => closing }).import({
      folder: root,
      settings: rig.settings,
      maxItemCount: 10,
      signal: abort.signal,
      onSession: () => {
        closing = true;
        abort.abort();
      },
    });
    assert.equal(waiting.kind, 'cancelled');
    assert.equal((await rig.control.state()).pickerSessions[0].deleted, false, 'left for the next start');
    assert.equal(rig.index.picker.undeleted('acct-1').length, 1);

    // Picked, then "VS Code closes" after the first of four files.
    closing = false;
    const ids = await libraryIds(rig, ['DSCF2044.JPG', 'DSCF3150.JPG', 'DSC_0412.jpg', 'DSC_0977.jpg']);
    await rig.control.faults({ type: 'latency', endpoint: 'media.picker', ms: 150 });
    const interrupted = await rig.flow({ closing: () => closing }).import({
      folder: root,
      settings: rig.settings,
      maxItemCount: 10,
      onSession: (info) => rig.control.pick(info.id, ids),
      onGroup: (group) => {
        const sub = group.onProgress((p) => {
          if (p.done >= 1 && !closing) {
            closing = true;
            sub.dispose();
            setImmediate(() => group.cancel());
          }
        });
      },
    });
    assert.equal(interrupted.kind, 'imported');
    const sessionId = interrupted.sessionId;
    assert.equal(rig.index.picker.session(sessionId)?.remoteDeleted, false);
    assert.ok((rig.index.picker.countItems(sessionId).pending ?? 0) >= 1, JSON.stringify(rig.index.picker.countItems(sessionId)));
    await rig.control.faults({ type: 'clear' });

    // The next start.
    await rig.restart();
    closing = false;
    const outcome = await rig.flow().finishLeftovers(rig.settings);
    assert.equal(outcome.deleted, 2);
    assert.equal(outcome.finished.length, 1);
    assert.deepEqual(rig.index.picker.countItems(sessionId), { downloaded: 4 });
    const state = await rig.control.state();
    assert.ok(state.pickerSessions.every((s) => s.deleted));
    const tree = await listTree(root);
    assert.deepEqual(partsIn(tree), []);
    assert.equal(tree.length, 4, tree.join('\n'));
  } finally {
    await rig.close();
  }
});

test('an import in progress is left alone by a start-up cleanup (another window, or this one when the Picker consent changes the sign-in), even while its create is still in flight', async () => {
  const rig = await startDownloadRig();
  try {
    const leases = () => new RunLeases(rig.storageDir, { log: nullLogger, label: 'test' });
    const root = await downloadFolder();
    const ids = await libraryIds(rig, ['DSC_0977.jpg']);
    await rig.control.faults({ type: 'latency', endpoint: 'picker.sessions.create', ms: 400 });
    let cleanups: Promise<unknown>[] = [];
    const importing = rig.flow({ leases: leases() }).import({
      folder: root,
      settings: rig.settings,
      maxItemCount: 5,
      onSession: async (info) => {
        cleanups.push(rig.flow({ leases: leases() }).finishLeftovers(rig.settings));
        await Promise.all(cleanups);
        await rig.control.pick(info.id, ids);
      },
    });
    // While the create is in flight, the row says 'creating': a cleanup now must not re-create and delete it.
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(rig.index.picker.sessions({ accountId: 'acct-1' })[0]?.state, 'creating');
    cleanups.push(rig.flow({ leases: leases() }).finishLeftovers(rig.settings));
    const result = await importing;
    const outcomes = (await Promise.all(cleanups)) as { deleted: number }[];
    assert.deepEqual(outcomes.map((o) => o.deleted), [0, 0]);
    assert.equal(result.kind, 'imported', JSON.stringify(result));
    const state = await rig.control.state();
    assert.equal(state.pickerSessions.length, 1);
    assert.equal(state.requestCounts['picker.sessions.create'], 1);
    cleanups = [];
  } finally {
    await rig.close();
  }
});
