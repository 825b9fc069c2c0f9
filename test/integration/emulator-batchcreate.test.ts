import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { signInForTest } from '../emulator/sign-in';
import { callJson, rawUpload } from '../emulator/test-client';
import { SIGN_IN_SCOPES } from '../../src/google/scopes';

type ErrorBody = { error: { code: number; message: string; status: string } };
type Created = { newMediaItemResults: { status: { code?: number; message: string }; mediaItem?: { id: string } }[] };

test('an empty or missing uploadToken in any item answers the whole batchCreate with 400, and nothing is created', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    const { tokens } = await signInForTest(emu.endpoints, SIGN_IN_SCOPES);
    const token = tokens.access_token ?? '';
    const lib = emu.endpoints.library;
    const good = await rawUpload(lib, token, readFileSync('test/fixtures/photos/DSC_0412.jpg'), 'good.jpg');
    const album = await callJson<{ id: string }>(`${lib}/v1/albums`, token, 'POST', { album: { title: 'Batch' } });
    const goodItem = { simpleMediaItem: { uploadToken: good, fileName: 'good.jpg' } };
    const bad: unknown[] = [{ simpleMediaItem: { uploadToken: '' } }, { simpleMediaItem: { fileName: 'no-token.jpg' } }, { description: 'no simpleMediaItem at all' }];
    for (const item of bad) {
      for (const newMediaItems of [[goodItem, item], [item, goodItem], [item]]) {
        const res = await callJson<ErrorBody>(`${lib}/v1/mediaItems:batchCreate`, token, 'POST', { albumId: album.body.id, newMediaItems });
        const what = JSON.stringify(newMediaItems);
        assert.equal(res.status, 400, what);
        assert.deepEqual(res.body.error, { code: 400, message: 'Request must contain a valid upload token.', status: 'INVALID_ARGUMENT' }, what);
      }
    }
    let state = await control.state();
    assert.equal(state.mediaItems.filter((m) => !m.seeded).length, 0);
    assert.deepEqual(state.albums[0].mediaItemIds, []);

    // The good token was not spent by the refused requests.
    const ok = await callJson<Created>(`${lib}/v1/mediaItems:batchCreate`, token, 'POST', { albumId: album.body.id, newMediaItems: [goodItem] });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.newMediaItemResults[0].status.message, 'Success');
    state = await control.state();
    assert.deepEqual(state.albums[0].mediaItemIds, [ok.body.newMediaItemResults[0].mediaItem?.id]);
  } finally {
    await emu.close();
  }
});
