// A free Flickr account's room, checked before Sync Now and said plainly: 1,000 photos and videos in
// all, 50 of them not public. Sync Now (the real command) against the emulator's Flickr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createVsCode, Disposable } from '../helpers/vscodeFake';
import { flickrPhotos, startFlickrRig, type FlickrRig } from './flickr-harness';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import type { SyncCommandDeps, SyncVsCode } from '../../src/ui/commands/deps';
import { syncNow } from '../../src/ui/commands/syncNow';
import { FLICKR_PRO_URL } from '../../src/ui/commands/capacity';
import { FlickrApiError } from '../../src/flickr/errors';
import { nullLogger } from '../../src/util/logger';

/** The fake VS Code with settings, answering modal questions from `modal` and recording every message. */
function fakeVs(settings: Record<string, unknown>, modal: (string | undefined)[]) {
  const { vs, ui } = createVsCode();
  const shown: { level: string; text: string; detail?: string; modal: boolean; buttons: string[] }[] = [];
  const answer = (level: string) => (text: string, ...rest: unknown[]) => {
    const opts = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { modal?: boolean; detail?: string }) : undefined;
    shown.push({ level, text, detail: opts?.detail, modal: !!opts?.modal, buttons: rest.filter((r): r is string => typeof r === 'string') });
    return Promise.resolve(opts?.modal ? modal.shift() : undefined);
  };
  const full = {
    ...vs,
    ConfigurationTarget: { Global: 1 },
    window: { ...vs.window, showInformationMessage: answer('info'), showWarningMessage: answer('warning'), showErrorMessage: answer('error') },
    workspace: { getConfiguration: (section: string) => ({ get: <T>(key: string) => settings[`${section}.${key}`] as T | undefined, update: async () => undefined }) },
    commands: { ...vs.commands, registerCommand: () => new Disposable() },
  };
  return { vs: full as unknown as SyncVsCode, ui, shown };
}

function depsFor(rig: FlickrRig, vs: SyncVsCode): SyncCommandDeps {
  return {
    vs,
    log: nullLogger,
    destinations: [
      { id: 'google-photos', displayName: 'Google Photos' },
      { id: 'flickr', displayName: 'Flickr' },
    ],
    refresh: () => undefined,
    session: async (destination) => (destination === 'flickr' ? { pipeline: rig.pipeline, index: rig.index, accountId: rig.nsid, quotaUsed: () => 0 } : undefined),
    showProgress: (group) => group.finished,
  };
}

async function flickrFolder(count: number, seed: number): Promise<{ root: string; settings: Record<string, unknown> }> {
  const root = path.join(await tempDir(), 'Free');
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < count; i++) files[`f${i}.jpg`] = makeJpeg(seed + i, { original: '2020:01:01 00:00:00' });
  await writeTree(root, files);
  return { root, settings: { 'photoSync.folders': [{ path: root, destination: 'flickr' }] } };
}

test('a free account with room for 3 of 5: Sync Now says so, uploads the 3 that fit when asked, and the rest stay to upload', async () => {
  const rig = await startFlickrRig({ destination: { settings: { privacy: 'public' } } });
  try {
    await rig.flickr.addSitePhotos(997, { nsid: rig.nsid });
    const { root, settings } = await flickrFolder(5, 400);
    const f = fakeVs(settings, ['Upload 3']);
    await syncNow(depsFor(rig, f.vs));
    const question = f.shown.find((s) => s.modal);
    assert.equal(question?.text, 'Your free Flickr account holds 997 of the 1,000 photos and videos it may keep: room for 3 more, and this sync has 5 new files.');
    assert.match(question?.detail ?? '', /Upload the first 3 now\? The other 2 stay “to upload”/);
    assert.deepEqual(question?.buttons, ['Upload 3']);
    assert.equal((await flickrPhotos(rig)).length, 1000);
    assert.match(f.shown.at(-1)?.text ?? '', /Uploaded 3 files/);
    const counts = rig.index.localFiles.countByStatus(root);
    assert.equal(counts.uploaded, 3);
    assert.equal(counts.failed ?? 0, 0, 'what did not fit is not a failure');

    // Full now: nothing is sent, and the message says why and what to do.
    const uploads = (await rig.flickr.state()).requestCounts.upload?.ok;
    const full = fakeVs(settings, []);
    await syncNow(depsFor(rig, full.vs));
    const said = full.shown.find((s) => s.level === 'error');
    assert.equal(
      said?.text,
      'Your free Flickr account holds 1,000 of the 1,000 photos and videos it may keep, so the 2 new files of this sync cannot be uploaded; nothing new was sent. Delete photos on Flickr or upgrade to Flickr Pro.',
    );
    assert.deepEqual(said?.buttons, ['About Flickr Pro']);
    assert.match(FLICKR_PRO_URL, /^https:\/\/www\.flickr\.com\//);
    assert.equal((await rig.flickr.state()).requestCounts.upload?.ok, uploads);

    // A Pro account has no cap: no question.
    await rig.flickr.setAccount({ nsid: rig.nsid, accountType: 'pro' });
    const pro = fakeVs(settings, []);
    await syncNow(depsFor(rig, pro.vs));
    assert.equal((await flickrPhotos(rig)).length, 1002, 'a Pro account has no cap: the rest went up without a question');
    assert.ok(!pro.shown.some((s) => s.modal));
  } finally {
    await rig.close();
  }
});

test('uploads are private by default: a free account’s 50 non-public photos are the tighter cap; past the cap Flickr’s code 6 needs the user', async () => {
  const rig = await startFlickrRig();
  try {
    await rig.flickr.addSitePhotos(10, { nsid: rig.nsid });
    const { settings } = await flickrFolder(3, 420);
    await syncNow(depsFor(rig, fakeVs(settings, []).vs));
    const capacity = await rig.provider.capacity();
    assert.deepEqual(capacity, { limit: 50, used: 3, account: 'free Flickr account', items: 'photos and videos that are not public' });

    const err = new FlickrApiError('upload', 6, 'Upload limit reached. For more info, visit flickr.com/pro');
    const outcome = rig.provider.rules.classify(err, Date.now());
    assert.equal(outcome.kind, 'needs-user');
    assert.match(outcome.kind === 'needs-user' ? (outcome.message ?? '') : '', /account is full.*1,000 photos and videos.*Flickr Pro/);
  } finally {
    await rig.close();
  }
});
