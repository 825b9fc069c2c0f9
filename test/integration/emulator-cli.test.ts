import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ENDPOINT_KEYS } from '../../src/google/endpoints';
import { EmulatorControl } from '../emulator/control';

test('npm run emulator prints one JSON line, serves a --library folder, and stops on SIGTERM', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'emu-lib-'));
  copyFileSync('test/fixtures/photos/DSC_0412.jpg', path.join(dir, 'one.jpg'));
  copyFileSync('test/fixtures/photos/IMG_0031.JPG', path.join(dir, 'two.JPG'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/emulator/cli.ts', '--port', '0', '--library', dir, '--users', '2', '--latency-ms', '1', '--video-processing-ms', '250'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const lines = createInterface({ input: child.stdout });
    const first = await new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`emulator exited early with ${code}`)));
    });
    const printed = JSON.parse(first) as { endpoints: Record<string, string> & { flickr: Record<string, string> }; control: string };
    assert.deepEqual(Object.keys(printed).sort(), ['control', 'endpoints']);
    assert.deepEqual(Object.keys(printed.endpoints).sort(), [...ENDPOINT_KEYS, 'flickr', 'flickrOAuth', 'flickrRest', 'flickrUpload'].sort());
    // Flickr's addresses also under the extension's photoSync.endpoints keys.
    assert.equal(printed.endpoints.flickrRest, printed.endpoints.flickr.rest);
    assert.equal(`${printed.endpoints.flickrOAuth}/request_token`, printed.endpoints.flickr.requestToken);
    assert.match(printed.endpoints.library, /^http:\/\/127\.0\.0\.1:\d+\/photoslibrary$/);
    // Drive's root: googleapis' rootUrl is this + '/'.
    assert.equal(printed.endpoints.drive, new URL(printed.endpoints.library).origin);
    assert.deepEqual(Object.keys(printed.endpoints.flickr).sort(), ['accessToken', 'authorize', 'photos', 'requestToken', 'rest', 'upload']);
    assert.match(printed.endpoints.flickr.rest, /^http:\/\/127\.0\.0\.1:\d+\/flickr\/services\/rest$/);
    // The Flickr REST endpoint answers behind the printed address, in Flickr's error format.
    const noKey = await (await fetch(`${printed.endpoints.flickr.rest}?method=flickr.test.echo&format=json&nojsoncallback=1`)).json();
    assert.deepEqual(noKey, { stat: 'fail', code: 100, message: 'Invalid API Key (Key has invalid format)' });
    assert.match(printed.control, /^http:\/\/127\.0\.0\.1:\d+\/__emulator$/);
    const state = await new EmulatorControl(printed.control).state();
    assert.deepEqual(state.mediaItems.map((m) => m.filename).sort(), ['one.jpg', 'two.JPG']);
    assert.equal(state.users.length, 2);
    assert.equal(state.videoProcessingMs, 250);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the CLI refuses unknown options with a usage line', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/emulator/cli.ts', '--colour', 'red'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 2);
  assert.match(stderr, /unknown option --colour/);
  assert.match(stderr, /usage: npm run emulator/);
});
