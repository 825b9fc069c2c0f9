import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmulator } from '../emulator/index';
import type { RunningEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { emulatorTokenSource } from '../helpers/emulatorAuth';
import type { EmulatorTokenSource } from '../helpers/emulatorAuth';
import { GooglePhotosProvider } from '../../src/destinations/googlePhotos/provider';
import { googlePhotosRules } from '../../src/destinations/googlePhotos/rules';
import { GoogleApiError } from '../../src/google/errors';
import { loadMediaTypes } from '../../src/metadata/mediaTypes';
import { Scopes, SIGN_IN_SCOPES } from '../../src/google/scopes';
import { describeProblem } from '../../src/auth/messages';
import { englishL10n } from '../../src/util/englishL10n';

interface Setup {
  emulator: RunningEmulator;
  control: EmulatorControl;
  tokens: EmulatorTokenSource;
  provider: GooglePhotosProvider;
  counts: Map<string, number>;
}

async function withGoogle(scopes: readonly string[], run: (s: Setup) => Promise<void>): Promise<void> {
  const emulator = await startEmulator({ port: 0 });
  try {
    const control = new EmulatorControl(emulator.control);
    const tokens = await emulatorTokenSource(emulator, scopes);
    const counts = new Map<string, number>();
    const provider = new GooglePhotosProvider({
      tokenSource: tokens,
      libraryRoot: emulator.endpoints.library,
      rules: googlePhotosRules(await loadMediaTypes()),
      onRequest: (endpoint) => counts.set(endpoint, (counts.get(endpoint) ?? 0) + 1),
    });
    await run({ emulator, control, tokens, provider, counts });
  } finally {
    await emulator.close();
  }
}

/** The emulator's counts of Library API requests, keyed like onRequest (without the "library." prefix). */
async function libraryCounts(control: EmulatorControl): Promise<Map<string, number>> {
  const { requestCounts } = await control.state();
  return new Map(
    Object.entries(requestCounts)
      .filter(([op]) => op.startsWith('library.'))
      .map(([op, n]) => [op.slice('library.'.length), n]),
  );
}

test('albums: create, list across pages of 50, get and patch; onRequest counts match the emulator', async () => {
  await withGoogle(SIGN_IN_SCOPES, async ({ control, provider, counts }) => {
    const created: string[] = [];
    for (let i = 0; i < 53; i++) created.push((await provider.createContainer(`Album ${String(i).padStart(2, '0')} ✈️`)).id);

    const listed = [];
    for await (const album of provider.listContainers()) listed.push(album);
    assert.deepEqual(listed.map((a) => a.id).sort(), [...created].sort());
    assert.ok(listed.every((a) => a.writable && a.itemCount === 0));
    assert.equal(counts.get('albums.list'), 2, 'two pages: 50 + 3');

    const renamed = await provider.library.patchAlbum(created[0], { title: 'Renamed 写真' });
    assert.equal(renamed.title, 'Renamed 写真');
    assert.equal((await provider.library.getAlbum(created[0])).title, 'Renamed 写真');

    const state = await control.state();
    assert.equal(state.albums.length, 53);
    assert.equal(state.albums.find((a) => a.id === created[0])?.title, 'Renamed 写真');
    assert.ok(state.albums.some((a) => a.title === 'Album 52 ✈️'));

    assert.deepEqual(Object.fromEntries(counts), Object.fromEntries(await libraryCounts(control)));
  });
});

test('an expired access token is refreshed once and the request goes through', async () => {
  await withGoogle(SIGN_IN_SCOPES, async ({ control, tokens, provider, counts }) => {
    await provider.createContainer('Before expiry');
    const before = tokens.currentToken;
    await control.expireTokens();
    const album = await provider.createContainer('After expiry');
    assert.equal(tokens.refreshes, 1);
    assert.notEqual(tokens.currentToken, before);
    assert.equal(counts.get('albums.create'), 3, 'the 401 and its retry are both counted');
    const state = await control.state();
    assert.deepEqual(state.albums.map((a) => a.title).sort(), ['After expiry', 'Before expiry']);
    assert.ok(state.albums.some((a) => a.id === album.id));
    assert.equal(state.requestCounts['library.albums.create'], 3);
  });
});

test('a revoked grant surfaces as an auth error, not a retry loop', async () => {
  await withGoogle(SIGN_IN_SCOPES, async ({ tokens, provider, emulator }) => {
    const token = await tokens.getAccessToken(SIGN_IN_SCOPES);
    await fetch(`${emulator.endpoints.revoke}?token=${encodeURIComponent(token)}`, { method: 'POST' });
    await assert.rejects(provider.createContainer('x'), (err: unknown) => {
      // The refresh itself is refused (invalid_grant), so the sign-in has to be redone.
      assert.match(String((err as Error).message), /expired or revoked|invalid_grant|Invalid Credentials|invalid authentication/i);
      return true;
    });
  });
});

test('a token without the needed scope gets 403 insufficient scopes', async () => {
  await withGoogle([Scopes.openid, Scopes.email, Scopes.readAppCreated], async ({ provider, control }) => {
    const err = await provider.createContainer('Not allowed').then(
      () => assert.fail('album created without appendonly'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof GoogleApiError);
    assert.equal(err.httpStatus, 403);
    assert.equal(err.status, 'PERMISSION_DENIED');
    assert.ok(err.isInsufficientScopes);
    assert.equal(provider.rules.classify(err, Date.now()).kind, 'needs-user', 'the user must sign in again with the scope');
    assert.equal((await control.state()).albums.length, 0);
  });
});

test('uploads without appendonly answer the bare {"code":16} 401, parsed after one refresh', async () => {
  await withGoogle([Scopes.openid, Scopes.email, Scopes.readAppCreated], async ({ provider, tokens, counts, control }) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'google-scope-'));
    try {
      const file = path.join(dir, 'a.jpg');
      await writeFile(file, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]));
      const err = await provider.uploadBytes({ path: file, fileName: 'a.jpg', mimeType: 'image/jpeg', size: 9, sha256: 'a'.repeat(64) }).then(
        () => assert.fail('uploaded without appendonly'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof GoogleApiError);
      assert.equal(err.httpStatus, 401);
      assert.equal(err.message, 'Authentication session is not defined.');
      assert.equal(provider.rules.classify(err, Date.now()).kind, 'needs-user');
      assert.equal(tokens.refreshes, 1, 'one refresh, then the error goes up');
      assert.equal(counts.get('uploads'), 2);
      assert.equal((await control.state()).uploadTokens.length, 0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

test('an API the project has not enabled answers SERVICE_DISABLED; the user is sent to that project’s API page', async () => {
  await withGoogle(SIGN_IN_SCOPES, async ({ provider, control }) => {
    await control.setApiEnabled('library', false);
    const err = await provider.createContainer('Nope').then(
      () => assert.fail('the disabled API answered'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof GoogleApiError);
    assert.equal(err.httpStatus, 403);
    assert.equal(err.reason, 'SERVICE_DISABLED');
    assert.equal(provider.rules.classify(err, Date.now()).kind, 'needs-user', 'retrying cannot help until the user enables it');
    const problem = describeProblem(err, englishL10n);
    assert.match(problem?.text ?? '', /Photos Library API is not enabled in Google Cloud project \d+/);
    const project = (await control.state()).albums.length === 0 ? /project=(\d+)/.exec(problem?.actions[0]?.url ?? '')?.[1] : undefined;
    assert.ok(project && err.message.includes(project), 'the link names the project from the answer');

    await control.setApiEnabled('library', true);
    await provider.createContainer('Now enabled');
    assert.deepEqual((await control.state()).albums.map((a) => a.title), ['Now enabled']);
  });
});

test('the daily quota answers 429, which the rules read as the quota spent until midnight Pacific', async () => {
  await withGoogle(SIGN_IN_SCOPES, async ({ provider, control, counts }) => {
    await control.faults({ type: 'dailyQuota', limit: 3 });
    for (let i = 0; i < 3; i++) await provider.createContainer(`Q${i}`);
    const err = await provider.createContainer('Q3').then(
      () => assert.fail('quota not enforced'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof GoogleApiError);
    assert.equal(err.httpStatus, 429);
    assert.equal(err.status, 'RESOURCE_EXHAUSTED');
    const now = Date.UTC(2026, 0, 15, 20); // 12:00 PST
    assert.deepEqual(provider.rules.classify(err, now), { kind: 'quota', until: Date.UTC(2026, 0, 16, 8), label: 'daily quota' });
    assert.equal((await control.state()).albums.length, 3);
    assert.equal(counts.get('albums.create'), 4);
  });
});

test('a 503 is thrown for the queue to retry, with Retry-After, and not retried here', async () => {
  await withGoogle(SIGN_IN_SCOPES, async ({ provider, control, counts }) => {
    await control.faults({ type: 'status', endpoint: 'library.albums.list', status: 503, times: 1, retryAfterSeconds: 2 });
    const err = await (async () => {
      for await (const _ of provider.listContainers()) void _;
    })().then(
      () => assert.fail('503 swallowed'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof GoogleApiError);
    assert.deepEqual(provider.rules.classify(err, Date.now()), { kind: 'retry', afterMs: 2000 });
    assert.equal(counts.get('albums.list'), 1);
    const again = [];
    for await (const album of provider.listContainers()) again.push(album);
    assert.deepEqual(again, []);
  });
});
