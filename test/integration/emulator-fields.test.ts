import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { signInForTest } from '../emulator/sign-in';
import { callJson, rawUpload } from '../emulator/test-client';
import { PICKER_SCOPES, SIGN_IN_SCOPES } from '../../src/google/scopes';

type ErrorBody = { error: { code: number; message: string; status: string } };
const keys = (o: unknown): string[] => Object.keys(o as object).sort();

test('fields masks Library answers (nested, slashes, dots, wildcards) and refuses unknown or malformed selections', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    const { tokens } = await signInForTest(emu.endpoints, SIGN_IN_SCOPES);
    const token = tokens.access_token ?? '';
    const lib = emu.endpoints.library;
    const names = ['DSC_0412.jpg', 'IMG_0031.JPG', 'DSCF2044.JPG'];
    const uploadTokens = await Promise.all(names.map((n) => rawUpload(lib, token, readFileSync(`test/fixtures/photos/${n}`), n)));

    // A mask on a write: only the selected parts come back, and the items are created all the same.
    const created = await callJson<{ newMediaItemResults: Record<string, unknown>[] }>(`${lib}/v1/mediaItems:batchCreate?fields=newMediaItemResults(status/message,mediaItem/id)`, token, 'POST', {
      newMediaItems: uploadTokens.map((uploadToken) => ({ simpleMediaItem: { uploadToken } })),
    });
    assert.equal(created.status, 200);
    assert.equal(created.body.newMediaItemResults.length, 3);
    for (const r of created.body.newMediaItemResults) {
      assert.deepEqual(keys(r), ['mediaItem', 'status']);
      assert.deepEqual(keys(r.mediaItem), ['id']);
      assert.deepEqual(r.status, { message: 'Success' });
    }
    assert.equal((await control.state()).mediaItems.filter((m) => !m.seeded).length, 3);

    const page = await callJson<{ mediaItems: Record<string, unknown>[]; nextPageToken: string }>(`${lib}/v1/mediaItems?pageSize=2&fields=mediaItems(id,baseUrl),nextPageToken`, token);
    assert.deepEqual(keys(page.body), ['mediaItems', 'nextPageToken']);
    assert.deepEqual(page.body.mediaItems.map(keys), [['baseUrl', 'id'], ['baseUrl', 'id']]);
    assert.equal((await fetch(`${page.body.mediaItems[0].baseUrl as string}=w10-h10`)).status, 200, 'a masked baseUrl is a real one');
    // The last page has no nextPageToken: selecting only that gives an empty object.
    const last = await callJson(`${lib}/v1/mediaItems?pageSize=2&pageToken=${page.body.nextPageToken}&fields=nextPageToken`, token);
    assert.deepEqual(last.body, {});

    const id = created.body.newMediaItemResults[0].mediaItem as { id: string };
    const nested = await callJson<Record<string, unknown>>(`${lib}/v1/mediaItems/${id.id}?fields=filename,mediaMetadata/width,mediaMetadata.photo(cameraModel)`, token);
    assert.deepEqual(nested.body, { filename: 'DSC_0412.jpg', mediaMetadata: { width: '480', photo: { cameraModel: 'NIKON D750' } } });
    const whole = await callJson<{ mediaMetadata: Record<string, unknown> }>(`${lib}/v1/mediaItems/${id.id}?fields=mediaMetadata/width,mediaMetadata`, token);
    assert.deepEqual(keys(whole.body.mediaMetadata), ['creationTime', 'height', 'photo', 'width'], 'the whole field wins over a part of it');
    const star = await callJson<Record<string, unknown>>(`${lib}/v1/mediaItems/${id.id}?fields=*`, token);
    assert.deepEqual(keys(star.body), ['baseUrl', 'filename', 'id', 'mediaMetadata', 'mimeType', 'productUrl']);
    const searched = await callJson<{ mediaItems: Record<string, unknown>[] }>(`${lib}/v1/mediaItems:search?fields=mediaItems/filename`, token, 'POST', { filters: { dateFilter: { dates: [{ year: 2021 }] } } });
    assert.deepEqual(searched.body.mediaItems.map((m) => m.filename), ['IMG_0031.JPG']);

    const bad: [string, RegExp][] = [
      ['mediaItems(idd)', /^Invalid field selection mediaItems\/idd$/],
      ['nextPageToken/length', /^Invalid field selection nextPageToken: it has no sub-fields$/],
      ['MediaItems', /^Invalid field selection MediaItems$/],
      ['mediaItems(id', /missing "\)"/],
      ['mediaItems)', /unexpected "\)"/],
      ['mediaItems,,nextPageToken', /empty name/],
      ['mediaItems(id)nextPageToken', /unexpected "n"/],
      ['media Items', /^Invalid field selection media Items$/],
    ];
    for (const [fields, message] of bad) {
      const res = await callJson<ErrorBody>(`${lib}/v1/mediaItems?fields=${encodeURIComponent(fields)}`, token);
      assert.equal(res.status, 400, fields);
      assert.equal(res.body.error.status, 'INVALID_ARGUMENT', fields);
      assert.match(res.body.error.message, message, fields);
    }
    // A bad mask on a write is refused before anything happens.
    const album = await callJson<ErrorBody>(`${lib}/v1/albums?fields=titel`, token, 'POST', { album: { title: 'Never made' } });
    assert.equal(album.status, 400);
    assert.equal((await control.state()).albums.length, 0);
    // Errors are never masked.
    const missing = await callJson<ErrorBody>(`${lib}/v1/albums/AAAAAAAAAAAAAAAAAAAAAAAA?fields=title`, token);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.status, 'NOT_FOUND');
  } finally {
    await emu.close();
  }
});

test('fields masks Picker answers against the Picker schemas', async () => {
  const emu = await startEmulator();
  const control = new EmulatorControl(emu.control);
  try {
    const { tokens } = await signInForTest(emu.endpoints, PICKER_SCOPES);
    const token = tokens.access_token ?? '';
    const picker = emu.endpoints.picker;
    const session = await callJson<Record<string, unknown>>(`${picker}/v1/sessions?fields=id,pickerUri`, token, 'POST', {});
    assert.equal(session.status, 200);
    assert.deepEqual(keys(session.body), ['id', 'pickerUri']);
    const polled = await callJson<Record<string, unknown>>(`${picker}/v1/sessions/${session.body.id as string}?fields=mediaItemsSet,pollingConfig/pollInterval`, token);
    assert.deepEqual(polled.body, { mediaItemsSet: false, pollingConfig: { pollInterval: '5s' } });

    const seeded = (await control.state()).mediaItems.filter((m) => m.seeded).slice(0, 2);
    await control.pick(session.body.id as string, seeded.map((m) => m.id));
    const list = await callJson<{ mediaItems: Record<string, unknown>[] }>(`${picker}/v1/mediaItems?sessionId=${session.body.id as string}&fields=mediaItems(id,mediaFile/mediaFileMetadata/width)`, token);
    assert.deepEqual(list.body, { mediaItems: seeded.map((m) => ({ id: m.id, mediaFile: { mediaFileMetadata: { width: 480 } } })) });

    const bad = await callJson<ErrorBody>(`${picker}/v1/sessions/${session.body.id as string}?fields=pickerUrl`, token);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.message, 'Invalid field selection pickerUrl');
  } finally {
    await emu.close();
  }
});
