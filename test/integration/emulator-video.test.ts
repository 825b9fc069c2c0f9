import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import jpeg from 'jpeg-js';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { probeMedia } from '../emulator/media-probe';
import { signInForTest } from '../emulator/sign-in';
import { callJson, rawUpload } from '../emulator/test-client';
import { PICKER_SCOPES, SIGN_IN_SCOPES } from '../../src/google/scopes';

const MP4 = readFileSync('test/fixtures/media-validity/ok-clip.mp4');
const MOV = readFileSync('test/fixtures/media-validity/ok-clip.mov');
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

type Item = { id: string; baseUrl: string; mimeType: string; mediaMetadata: { width: string; height: string; video?: { status: string }; photo?: unknown } };
type Picked = { id: string; type: string; mediaFile: { baseUrl: string; mimeType: string; mediaFileMetadata: { width: number; height: number; videoMetadata?: { processingStatus: string } } } };

async function withEmulator(options: EmulatorOptions, fn: (emu: RunningEmulator, token: string, control: EmulatorControl) => Promise<void>): Promise<void> {
  const emu = await startEmulator(options);
  try {
    const { tokens } = await signInForTest(emu.endpoints, [...SIGN_IN_SCOPES, ...PICKER_SCOPES]);
    await fn(emu, tokens.access_token ?? '', new EmulatorControl(emu.control));
  } finally {
    await emu.close();
  }
}

async function createVideo(emu: RunningEmulator, token: string, bytes: Buffer, name: string): Promise<Item> {
  const uploadToken = await rawUpload(emu.endpoints.library, token, bytes, name, 'video/mp4');
  const res = await callJson<{ newMediaItemResults: { mediaItem?: Item }[] }>(`${emu.endpoints.library}/v1/mediaItems:batchCreate`, token, 'POST', { newMediaItems: [{ simpleMediaItem: { uploadToken } }] });
  const item = res.body.newMediaItemResults[0].mediaItem;
  assert.ok(item, JSON.stringify(res.body));
  return item;
}

async function getItem(emu: RunningEmulator, token: string, id: string): Promise<Item> {
  return (await callJson<Item>(`${emu.endpoints.library}/v1/mediaItems/${id}`, token)).body;
}

/** Checks a `=dv` answer is Google's transcode: a playable movie of the same size, not the uploaded bytes. */
async function assertTranscode(res: Response, original: Buffer, mimeType: string): Promise<void> {
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), mimeType);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.notEqual(sha(bytes), sha(original));
  assert.ok(bytes.includes(`transcode of sha256:${sha(original)}`), 'the transcode names its original');
  const probe = probeMedia(bytes);
  assert.ok(probe.ok && probe.kind === 'video' && probe.width === 64 && probe.height === 48, JSON.stringify(probe));
}

test('a new video is PROCESSING, refuses =dv until READY, then =dv serves a transcode (Library baseUrls)', async () => {
  await withEmulator({}, async (emu, token, control) => {
    const created = await createVideo(emu, token, MP4, 'clip.mp4');
    assert.equal(created.mimeType, 'video/mp4');
    assert.deepEqual(created.mediaMetadata.video, { status: 'PROCESSING' });
    assert.equal(created.mediaMetadata.photo, undefined);
    assert.deepEqual([created.mediaMetadata.width, created.mediaMetadata.height], ['64', '48']);
    const stored = (await control.state()).mediaItems.find((m) => m.id === created.id);
    assert.equal(stored?.sha256, sha(MP4), 'the library keeps the uploaded bytes');
    assert.equal(stored?.video?.status, 'PROCESSING');

    const early = await fetch(`${created.baseUrl}=dv`);
    assert.equal(early.status, 404);
    assert.match(await early.text(), /still processing/);
    // =d of a video is a still frame, even while processing.
    const still = await fetch(`${created.baseUrl}=d`);
    assert.equal(still.headers.get('content-type'), 'image/jpeg');
    assert.ok(jpeg.decode(Buffer.from(await still.arrayBuffer())).width > 0);

    // The emulator clock is real time plus the advances: leave the real seconds this test takes some room.
    await control.advanceClock(3000);
    assert.equal((await getItem(emu, token, created.id)).mediaMetadata.video?.status, 'PROCESSING', 'the default is a few seconds, not less');
    await control.advanceClock(2000);
    const ready = await getItem(emu, token, created.id);
    assert.deepEqual(ready.mediaMetadata.video, { status: 'READY' });
    assert.equal((await control.state()).mediaItems.find((m) => m.id === created.id)?.video?.status, 'READY');
    await assertTranscode(await fetch(`${ready.baseUrl}=dv`), MP4, 'video/mp4');
  });
});

test('processing time comes from the options and the control API; reset restores the option', async () => {
  await withEmulator({ videoProcessingMs: 0 }, async (emu, token, control) => {
    const instant = await createVideo(emu, token, MP4, 'instant.mp4');
    assert.deepEqual(instant.mediaMetadata.video, { status: 'READY' });
    await assertTranscode(await fetch(`${instant.baseUrl}=dv`), MP4, 'video/mp4');

    await control.setVideoProcessing(60_000);
    assert.equal((await control.state()).videoProcessingMs, 60_000);
    const slow = await createVideo(emu, token, MOV, 'slow.mov');
    assert.equal(slow.mimeType, 'video/quicktime');
    assert.equal(slow.mediaMetadata.video?.status, 'PROCESSING');
    await control.advanceClock(55_000);
    assert.equal((await getItem(emu, token, slow.id)).mediaMetadata.video?.status, 'PROCESSING');
    assert.equal((await fetch(`${slow.baseUrl}=dv`)).status, 404);
    await control.advanceClock(5_000);
    const done = await getItem(emu, token, slow.id);
    assert.equal(done.mediaMetadata.video?.status, 'READY');
    await assertTranscode(await fetch(`${done.baseUrl}=dv`), MOV, 'video/quicktime');
    // Already finished items stay finished when the setting changes.
    await control.setVideoProcessing(3_600_000);
    assert.equal((await getItem(emu, token, instant.id)).mediaMetadata.video?.status, 'READY');

    await assert.rejects(control.faults({ type: 'videoProcessing', ms: -1 }), /ms >= 0/);
    await control.reset();
    assert.equal((await control.state()).videoProcessingMs, 0);
  });
});

test('a picked video reports processingStatus and its Picker baseUrl refuses =dv until READY', async () => {
  await withEmulator({}, async (emu, token, control) => {
    const created = await createVideo(emu, token, MP4, 'picked.mp4');
    const picker = emu.endpoints.picker;
    const session = await callJson<{ id: string }>(`${picker}/v1/sessions`, token, 'POST', {});
    await control.pick(session.body.id, [created.id]);
    const list = async (): Promise<Picked> => (await callJson<{ mediaItems: Picked[] }>(`${picker}/v1/mediaItems?sessionId=${session.body.id}`, token)).body.mediaItems[0];

    const first = await list();
    assert.equal(first.type, 'VIDEO');
    assert.equal(first.mediaFile.mimeType, 'video/mp4');
    assert.deepEqual(first.mediaFile.mediaFileMetadata.videoMetadata, { processingStatus: 'PROCESSING' });
    assert.deepEqual([first.mediaFile.mediaFileMetadata.width, first.mediaFile.mediaFileMetadata.height], [64, 48]);
    const auth = { headers: { Authorization: `Bearer ${token}` } };
    assert.equal((await fetch(`${first.mediaFile.baseUrl}=dv`, auth)).status, 404);

    await control.advanceClock(5000);
    const later = await list();
    assert.deepEqual(later.mediaFile.mediaFileMetadata.videoMetadata, { processingStatus: 'READY' });
    assert.equal((await fetch(`${later.mediaFile.baseUrl}=dv`)).status, 401, 'Picker baseUrls still need the token');
    await assertTranscode(await fetch(`${later.mediaFile.baseUrl}=dv`, auth), MP4, 'video/mp4');
  });
});
