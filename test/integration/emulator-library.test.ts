import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import exifr from 'exifr';
import jpeg from 'jpeg-js';
import { OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, startEmulator, type RunningEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { signInForTest } from '../emulator/sign-in';
import { callJson, rawUpload } from '../emulator/test-client';
import { Scopes, SIGN_IN_SCOPES } from '../../src/google/scopes';

const PHOTOS = 'test/fixtures/photos';
const photo = (name: string): Buffer => readFileSync(`${PHOTOS}/${name}`);
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function withSignedIn<T>(fn: (emu: RunningEmulator, token: string, control: EmulatorControl) => Promise<T>, scopes: readonly string[] = SIGN_IN_SCOPES): Promise<T> {
  const emu = await startEmulator();
  try {
    const { tokens } = await signInForTest(emu.endpoints, scopes);
    return await fn(emu, tokens.access_token ?? '', new EmulatorControl(emu.control));
  } finally {
    await emu.close();
  }
}

type MediaItemJson = { id: string; filename: string; baseUrl: string; description?: string; mimeType: string; mediaMetadata: { creationTime: string; width: string; height: string; photo?: Record<string, unknown> } };
type BatchCreateJson = { newMediaItemResults: { uploadToken?: string; status: { code?: number; message: string }; mediaItem?: MediaItemJson }[] };

test('seeded library is invisible to the Library API; uploads + batchCreate with a partial failure', async () => {
  await withSignedIn(async (emu, token, control) => {
    const lib = emu.endpoints.library;
    const seeded = (await control.state()).mediaItems;
    assert.equal(seeded.length, readdirSync(PHOTOS).filter((n) => /\.jpe?g$/i.test(n)).length);
    const empty = await callJson(`${lib}/v1/mediaItems`, token);
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body, {});
    const seededGet = await callJson(`${lib}/v1/mediaItems/${seeded[0].id}`, token);
    assert.equal(seededGet.status, 404);

    const bytesA = photo('DSC_0412.jpg');
    const bytesB = photo('IMG_0031.JPG');
    const tA = await rawUpload(lib, token, bytesA, 'DSC_0412.jpg');
    const tB = await rawUpload(lib, token, bytesB, 'IMG_0031.JPG');
    const res = await callJson<BatchCreateJson>(`${lib}/v1/mediaItems:batchCreate`, token, 'POST', {
      newMediaItems: [
        { description: 'Eiffel', simpleMediaItem: { uploadToken: tA, fileName: 'paris.jpg' } },
        { simpleMediaItem: { uploadToken: 'CAISnot-a-real-token' } },
        { simpleMediaItem: { uploadToken: tB, fileName: 'x'.repeat(256) } },
        { description: 'd'.repeat(1000), simpleMediaItem: { uploadToken: tB } },
        { simpleMediaItem: { uploadToken: tB } },
      ],
    });
    assert.equal(res.status, 200);
    const r = res.body.newMediaItemResults;
    assert.equal(r.length, 5);
    assert.equal(r[0].status.message, 'Success');
    assert.equal(r[0].mediaItem?.filename, 'paris.jpg');
    assert.equal(r[0].mediaItem?.description, 'Eiffel');
    assert.equal(r[0].mediaItem?.mediaMetadata.creationTime, '2020-02-03T13:02:51Z');
    assert.equal(r[0].mediaItem?.mediaMetadata.width, '480');
    assert.equal(r[0].mediaItem?.mediaMetadata.photo?.cameraModel, 'NIKON D750');
    assert.equal(r[1].status.code, 3);
    assert.equal(r[1].mediaItem, undefined);
    assert.equal(r[2].status.code, 3);
    assert.equal(r[3].status.code, 3);
    assert.equal(r[4].mediaItem?.filename, 'IMG_0031.JPG');

    const state = await control.state();
    const created = state.mediaItems.filter((m) => !m.seeded);
    assert.equal(created.length, 2);
    assert.deepEqual(created.map((m) => m.sha256).sort(), [sha(bytesA), sha(bytesB)].sort());
    const list = await callJson<{ mediaItems: MediaItemJson[] }>(`${lib}/v1/mediaItems`, token);
    assert.deepEqual(list.body.mediaItems.map((m) => m.filename), ['IMG_0031.JPG', 'paris.jpg']);
  });
});

test('identical bytes map to the same media item and keep the first filename', async () => {
  await withSignedIn(async (emu, token, control) => {
    const lib = emu.endpoints.library;
    const bytes = photo('DSCF2044.JPG');
    const t1 = await rawUpload(lib, token, bytes, 'first.jpg');
    const first = await callJson<BatchCreateJson>(`${lib}/v1/mediaItems:batchCreate`, token, 'POST', { newMediaItems: [{ simpleMediaItem: { uploadToken: t1, fileName: 'first.jpg' } }] });
    const t2 = await rawUpload(lib, token, bytes, 'second.jpg');
    const second = await callJson<BatchCreateJson>(`${lib}/v1/mediaItems:batchCreate`, token, 'POST', { newMediaItems: [{ simpleMediaItem: { uploadToken: t2, fileName: 'second.jpg' } }] });
    const a = first.body.newMediaItemResults[0].mediaItem;
    const b = second.body.newMediaItemResults[0].mediaItem;
    assert.ok(a && b);
    assert.equal(b.id, a.id);
    assert.equal(b.filename, 'first.jpg');
    const items = (await control.state()).mediaItems.filter((m) => m.sha256 === sha(bytes));
    assert.equal(items.filter((m) => !m.seeded).length, 1);
  });
});

test('baseUrls: =d strips GPS but keeps other EXIF, =wW-hH resizes, URLs expire after 60 minutes', async () => {
  await withSignedIn(async (emu, token, control) => {
    const lib = emu.endpoints.library;
    const bytes = photo('PXL_20230415_102233.jpg');
    assert.ok(await exifr.gps(bytes));
    const t = await rawUpload(lib, token, bytes);
    const created = await callJson<BatchCreateJson>(`${lib}/v1/mediaItems:batchCreate`, token, 'POST', { newMediaItems: [{ simpleMediaItem: { uploadToken: t, fileName: 'rome.jpg' } }] });
    const item = created.body.newMediaItemResults[0].mediaItem;
    assert.ok(item);
    const d = Buffer.from(await (await fetch(`${item.baseUrl}=d`)).arrayBuffer());
    assert.equal(d.length, bytes.length);
    assert.equal(await exifr.gps(d), undefined);
    const tags = await exifr.parse(d);
    assert.equal(tags.Model, 'Pixel 7');
    assert.deepEqual(jpeg.decode(d).width, 480);

    const thumb = await fetch(`${item.baseUrl}=w120-h120`);
    assert.equal(thumb.headers.get('content-type'), 'image/jpeg');
    const img = jpeg.decode(Buffer.from(await thumb.arrayBuffer()));
    assert.deepEqual([img.width, img.height], [120, 90]);
    const crop = jpeg.decode(Buffer.from(await (await fetch(`${item.baseUrl}=w100-h100-c`)).arrayBuffer()));
    assert.deepEqual([crop.width, crop.height], [100, 100]);

    await control.advanceClock(61 * 60 * 1000);
    assert.equal((await fetch(`${item.baseUrl}=d`)).status, 403);
  });
});

test('albums: create, list, get, patch, add/remove items, enrichment; only app-created albums', async () => {
  await withSignedIn(async (emu, token, control) => {
    const lib = emu.endpoints.library;
    const album = await callJson<{ id: string; title: string; isWriteable: boolean }>(`${lib}/v1/albums`, token, 'POST', { album: { title: 'Holidays 2020' } });
    assert.equal(album.status, 200);
    assert.equal(album.body.title, 'Holidays 2020');
    assert.equal(album.body.isWriteable, true);
    const names = ['DSC_0412.jpg', 'DSC_0977.jpg', 'IMG_0388.JPG'];
    const tokens = await Promise.all(names.map((n) => rawUpload(lib, token, photo(n), n)));
    const created = await callJson<BatchCreateJson>(`${lib}/v1/mediaItems:batchCreate`, token, 'POST', {
      albumId: album.body.id,
      newMediaItems: tokens.map((t) => ({ simpleMediaItem: { uploadToken: t } })),
    });
    const ids = created.body.newMediaItemResults.map((r) => r.mediaItem?.id ?? '');
    let st = await control.state();
    assert.deepEqual(st.albums[0].mediaItemIds, ids);
    assert.deepEqual(st.mediaItems.find((m) => m.id === ids[0])?.albumIds, [album.body.id]);

    const inAlbum = await callJson<{ mediaItems: MediaItemJson[] }>(`${lib}/v1/mediaItems:search`, token, 'POST', { albumId: album.body.id });
    assert.deepEqual(inAlbum.body.mediaItems.map((m) => m.id), ids);

    const second = await callJson<{ id: string }>(`${lib}/v1/albums`, token, 'POST', { album: { title: 'Other' } });
    assert.equal((await callJson(`${lib}/v1/albums/${second.body.id}:batchAddMediaItems`, token, 'POST', { mediaItemIds: [ids[0], ids[1]] })).status, 200);
    assert.equal((await callJson(`${lib}/v1/albums/${album.body.id}:batchRemoveMediaItems`, token, 'POST', { mediaItemIds: [ids[1]] })).status, 200);
    const seededId = st.mediaItems.find((m) => m.seeded)?.id ?? '';
    const bad = await callJson<{ error: { status: string } }>(`${lib}/v1/albums/${second.body.id}:batchAddMediaItems`, token, 'POST', { mediaItemIds: [ids[2], seededId] });
    assert.equal(bad.status, 400);
    const enrich = await callJson<{ enrichmentItem: { id: string } }>(`${lib}/v1/albums/${album.body.id}:addEnrichment`, token, 'POST', { newEnrichmentItem: { textEnrichment: { text: 'Day one' } }, albumPosition: { position: 'FIRST_IN_ALBUM' } });
    assert.equal(enrich.status, 200);
    const patched = await callJson<{ title: string; coverPhotoMediaItemId: string }>(`${lib}/v1/albums/${album.body.id}?updateMask=title,coverPhotoMediaItemId`, token, 'PATCH', { title: 'Holidays', coverPhotoMediaItemId: ids[2] });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.title, 'Holidays');
    assert.equal(patched.body.coverPhotoMediaItemId, ids[2]);
    const desc = await callJson<MediaItemJson>(`${lib}/v1/mediaItems/${ids[0]}?updateMask=description`, token, 'PATCH', { description: 'Tower' });
    assert.equal(desc.body.description, 'Tower');

    st = await control.state();
    const a1 = st.albums.find((a) => a.id === album.body.id);
    assert.deepEqual(a1?.mediaItemIds, [ids[0], ids[2]]);
    assert.equal(a1?.title, 'Holidays');
    assert.equal(a1?.enrichments.length, 1);
    assert.deepEqual(st.albums.find((a) => a.id === second.body.id)?.mediaItemIds, [ids[0], ids[1]]);
    assert.equal(st.mediaItems.find((m) => m.id === ids[0])?.description, 'Tower');

    const listed = await callJson<{ albums: { id: string; mediaItemsCount: string }[] }>(`${lib}/v1/albums?pageSize=1`, token);
    assert.equal(listed.body.albums.length, 1);
    assert.ok('nextPageToken' in listed.body);
    const got = await callJson<{ mediaItemsCount: string }>(`${lib}/v1/albums/${album.body.id}`, token);
    assert.equal(got.body.mediaItemsCount, '2');
  });
});

test('search: date filters, albumId XOR filters, paging with nextPageToken', async () => {
  await withSignedIn(async (emu, token) => {
    const lib = emu.endpoints.library;
    const names = readdirSync(PHOTOS).sort();
    const tokens = await Promise.all(names.map((n) => rawUpload(lib, token, photo(n), n)));
    await callJson(`${lib}/v1/mediaItems:batchCreate`, token, 'POST', { newMediaItems: tokens.map((t, i) => ({ simpleMediaItem: { uploadToken: t, fileName: names[i] } })) });
    const y2021 = await callJson<{ mediaItems: MediaItemJson[] }>(`${lib}/v1/mediaItems:search`, token, 'POST', { filters: { dateFilter: { dates: [{ year: 2021 }] } } });
    assert.deepEqual(y2021.body.mediaItems.map((m) => m.filename).sort(), ['IMG_0031.JPG', 'IMG_0388.JPG']);
    const range = await callJson<{ mediaItems: MediaItemJson[] }>(`${lib}/v1/mediaItems:search`, token, 'POST', {
      filters: { dateFilter: { ranges: [{ startDate: { year: 2019, month: 1, day: 1 }, endDate: { year: 2020, month: 6, day: 30 } }] } },
      orderBy: 'MediaMetadata.creation_time',
    });
    assert.deepEqual(range.body.mediaItems.map((m) => m.filename), ['IMG_20190614_083012.jpg', 'IMG_20190822_191544.jpg', 'DSC_0412.jpg']);
    const both = await callJson<{ error: { status: string } }>(`${lib}/v1/mediaItems:search`, token, 'POST', { albumId: 'AAAAAAAAAAAAAAAAAAAA', filters: { dateFilter: { dates: [{ year: 2021 }] } } });
    assert.equal(both.status, 400);
    assert.equal(both.body.error.status, 'INVALID_ARGUMENT');
    const orderNoDate = await callJson(`${lib}/v1/mediaItems:search`, token, 'POST', { orderBy: 'MediaMetadata.creation_time' });
    assert.equal(orderNoDate.status, 400);

    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const res = await callJson<{ mediaItems: MediaItemJson[]; nextPageToken?: string }>(`${lib}/v1/mediaItems?pageSize=3${pageToken ? `&pageToken=${pageToken}` : ''}`, token);
      seen.push(...res.body.mediaItems.map((m) => m.filename));
      pageToken = res.body.nextPageToken;
      pages++;
    } while (pageToken);
    assert.equal(pages, Math.ceil(names.length / 3));
    assert.deepEqual([...seen].sort(), [...names].sort());
    assert.equal(seen[0], 'PXL_20240101_000512.jpg');
    const batch = await callJson<{ mediaItemResults: { mediaItem?: MediaItemJson; status?: { code: number } }[] }>(`${lib}/v1/mediaItems:batchGet?mediaItemIds=${encodeURIComponent('AnUnknownButWellFormedId00')}`, token);
    assert.equal(batch.body.mediaItemResults[0].status?.code, 5);
  });
});

test('scopes: reading without readonly.appcreateddata is 403; uploads without appendonly get the bare 401', async () => {
  await withSignedIn(
    async (emu, token) => {
      const lib = emu.endpoints.library;
      const list = await callJson<{ error: { code: number; status: string; message: string } }>(`${lib}/v1/mediaItems`, token);
      assert.equal(list.status, 403);
      assert.equal(list.body.error.status, 'PERMISSION_DENIED');
      assert.equal(list.body.error.message, 'Request had insufficient authentication scopes.');
      const up = await fetch(`${lib}/v1/uploads`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/octet-stream', 'X-Goog-Upload-Protocol': 'raw' }, body: new Uint8Array(photo('DSC_0412.jpg')) });
      assert.equal(up.status, 401);
      assert.deepEqual(await up.json(), { code: 16, message: 'Authentication session is not defined.' });
      const noAuth = await callJson<{ error: { status: string } }>(`${lib}/v1/albums`, undefined);
      assert.equal(noAuth.status, 401);
      assert.equal(noAuth.body.error.status, 'UNAUTHENTICATED');
    },
    [Scopes.openid, Scopes.email, Scopes.picker],
  );
});

test('another app sees none of this app\'s items or albums and cannot add to its albums', async () => {
  await withSignedIn(async (emu, token, control) => {
    const lib = emu.endpoints.library;
    const other = await signInForTest(emu.endpoints, SIGN_IN_SCOPES, { clientId: OTHER_CLIENT_ID, clientSecret: OTHER_CLIENT_SECRET });
    const otherToken = other.tokens.access_token ?? '';
    const theirs = await callJson<{ id: string }>(`${lib}/v1/albums`, otherToken, 'POST', { album: { title: 'Theirs' } });
    const up = await rawUpload(lib, token, photo('DSC_0977.jpg'));
    const res = await callJson<{ error: { status: string; message: string } }>(`${lib}/v1/mediaItems:batchCreate`, token, 'POST', { albumId: theirs.body.id, newMediaItems: [{ simpleMediaItem: { uploadToken: up } }] });
    assert.equal(res.status, 400);
    assert.equal(res.body.error.message, 'No permission to add media items to this album.');
    assert.equal((await callJson(`${lib}/v1/albums/${theirs.body.id}`, token)).status, 404);
    const mine = await callJson<{ newMediaItemResults: { mediaItem: { id: string } }[] }>(`${lib}/v1/mediaItems:batchCreate`, token, 'POST', { newMediaItems: [{ simpleMediaItem: { uploadToken: up } }] });
    const id = mine.body.newMediaItemResults[0].mediaItem.id;
    assert.equal((await callJson(`${lib}/v1/mediaItems/${id}`, otherToken)).status, 404);
    assert.deepEqual((await callJson(`${lib}/v1/mediaItems`, otherToken)).body, {});
    // Their upload token is theirs: this app cannot redeem it.
    const theirUpload = await rawUpload(lib, otherToken, photo('DSC_0412.jpg'));
    const stolen = await callJson<{ newMediaItemResults: { status: { code: number } }[] }>(`${lib}/v1/mediaItems:batchCreate`, token, 'POST', { newMediaItems: [{ simpleMediaItem: { uploadToken: theirUpload } }] });
    assert.equal(stolen.body.newMediaItemResults[0].status.code, 3);
    const state = await control.state();
    assert.deepEqual(state.albums.find((a) => a.id === theirs.body.id)?.mediaItemIds, []);
  });
});
