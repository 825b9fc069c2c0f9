// Flickr's REST API in the emulator as a sync client uses it: albums (photosets), metadata,
// search by machine tag, deletion, response formats, the hourly key limit and injected faults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startEmulator, type RunningEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { FlickrControl } from '../emulator/flickr/client';
import { FlickrTestClient, signInFlickr } from '../emulator/flickr/test-client';
import { DEFAULT_FLICKR_API_KEY } from '../emulator/flickr/state';

const FIXTURES = ['DSC_0412.jpg', 'IMG_0031.JPG', 'DSCF2044.JPG', 'PXL_20230415_102233.jpg'].map((f) => readFileSync(`test/fixtures/photos/${f}`));

type Ok = { stat: 'ok' };
type Fail = { stat: 'fail'; code: number; message: string };

async function withSignedIn(perms: 'read' | 'write' | 'delete', fn: (client: FlickrTestClient, control: FlickrControl, emu: RunningEmulator) => Promise<void>): Promise<void> {
  const emu = await startEmulator({ libraryDir: 'test/fixtures/photos' });
  try {
    const client = new FlickrTestClient(emu.flickr);
    await signInFlickr(client, perms);
    await fn(client, new FlickrControl(emu.control), emu);
  } finally {
    await emu.close();
  }
}

async function upload(client: FlickrTestClient, i: number, fields: Record<string, string> = {}): Promise<string> {
  const res = await client.upload(FIXTURES[i], `photo${i}.jpg`, { title: `photo ${i}`, ...fields });
  const id = /<photoid[^>]*>(\d+)<\/photoid>/.exec(res.text)?.[1];
  if (!id) throw new Error(`upload failed: ${res.text}`);
  return id;
}

test('first photo → photosets.create → addPhoto → getPhotos in order, with paging and extras; new sets list first', () =>
  withSignedIn('write', async (client, control) => {
    const [p1, p2, p3] = [await upload(client, 0), await upload(client, 1), await upload(client, 2)];
    const noPrimary = await client.rest<Fail>('flickr.photosets.create', { title: 'Empty' }, 'POST');
    assert.deepEqual(noPrimary.body, { stat: 'fail', code: 2, message: 'Photo not found' });
    assert.equal((await client.rest<Fail>('flickr.photosets.create', { primary_photo_id: p1 }, 'POST')).body.code, 1);

    const title = 'Vacances été 2020 ~ 100% + *';
    const created = await client.rest<{ photoset: { id: string; url: string } }>('flickr.photosets.create', { title, description: 'À la plage', primary_photo_id: p1 }, 'POST');
    const setId = created.body.photoset.id;
    assert.equal(created.body.photoset.url, `https://www.flickr.com/photos/190012345@N07/sets/${setId}/`);
    for (const p of [p2, p3]) assert.equal((await client.rest<Ok>('flickr.photosets.addPhoto', { photoset_id: setId, photo_id: p }, 'POST')).body.stat, 'ok');
    assert.deepEqual((await client.rest<Fail>('flickr.photosets.addPhoto', { photoset_id: setId, photo_id: p2 }, 'POST')).body, { stat: 'fail', code: 3, message: 'Photo already in set' });

    type Page = { photoset: { title: string; page: number; pages: number; total: number; photo: { id: string; isprimary: string; datetaken: string; url_o?: string }[] } };
    const page1 = (await client.rest<Page>('flickr.photosets.getPhotos', { photoset_id: setId, per_page: '2', extras: 'date_taken,url_o' })).body.photoset;
    assert.deepEqual([page1.title, page1.page, page1.pages, page1.total], [title, 1, 2, 3]);
    assert.deepEqual(page1.photo.map((p) => [p.id, p.isprimary]), [[p1, '1'], [p2, '0']]);
    assert.equal(page1.photo[0].datetaken, '2020-02-03 14:02:51');
    assert.equal((await fetch(page1.photo[0].url_o ?? '')).status, 200);
    const page2 = (await client.rest<Page>('flickr.photosets.getPhotos', { photoset_id: setId, per_page: '2', page: '2' })).body.photoset;
    assert.deepEqual(page2.photo.map((p) => p.id), [p3]);

    const second = (await client.rest<{ photoset: { id: string } }>('flickr.photosets.create', { title: 'Second', primary_photo_id: p3 }, 'POST')).body.photoset.id;
    type List = { photosets: { page: number; pages: number; total: number; photoset: { id: string; title: { _content: string }; photos: number; primary: string }[] } };
    const all = (await client.rest<List>('flickr.photosets.getList')).body.photosets;
    assert.deepEqual(all.photoset.map((s) => [s.id, s.title._content, s.photos]), [[second, 'Second', 1], [setId, title, 3]]);
    const paged = (await client.rest<List>('flickr.photosets.getList', { page: '2', per_page: '1' })).body.photosets;
    assert.deepEqual([paged.page, paged.pages, paged.total, paged.photoset.map((s) => s.id)], [2, 2, 2, [setId]]);

    const state = await control.state();
    assert.deepEqual(state.photosets.map((s) => [s.id, s.photoIds]), [[second, [p3]], [setId, [p1, p2, p3]]]);
    assert.deepEqual(state.photos.find((p) => p.id === p3)?.photosetIds.sort(), [setId, second].sort());
  }));

test('removing photos: the primary hands over, the last photo takes the set with it; sets deleted on the website are gone', () =>
  withSignedIn('write', async (client, control) => {
    const [p1, p2] = [await upload(client, 0), await upload(client, 1)];
    const setId = (await client.rest<{ photoset: { id: string } }>('flickr.photosets.create', { title: 'A', primary_photo_id: p1 }, 'POST')).body.photoset.id;
    await client.rest('flickr.photosets.addPhoto', { photoset_id: setId, photo_id: p2 }, 'POST');
    assert.equal((await client.rest<Ok>('flickr.photosets.removePhoto', { photoset_id: setId, photo_id: p1 }, 'POST')).body.stat, 'ok');
    assert.deepEqual((await control.state()).photosets.map((s) => [s.primary, s.photoIds]), [[p2, [p2]]]);
    assert.deepEqual((await client.rest<Fail>('flickr.photosets.removePhoto', { photoset_id: setId, photo_id: p1 }, 'POST')).body, { stat: 'fail', code: 3, message: 'Photo not in set' });
    await client.rest('flickr.photosets.removePhoto', { photoset_id: setId, photo_id: p2 }, 'POST');
    assert.deepEqual((await control.state()).photosets, []);
    assert.equal((await client.rest<Fail>('flickr.photosets.getPhotos', { photoset_id: setId })).body.code, 1);

    const b = (await client.rest<{ photoset: { id: string } }>('flickr.photosets.create', { title: 'B', primary_photo_id: p1 }, 'POST')).body.photoset.id;
    await control.deletePhotosetOnSite(b);
    assert.deepEqual((await client.rest<Fail>('flickr.photosets.addPhoto', { photoset_id: b, photo_id: p2 }, 'POST')).body, { stat: 'fail', code: 1, message: 'Photoset not found' });
    assert.equal((await control.state()).photos.length, 2, 'deleting a set keeps its photos');

    const c = (await client.rest<{ photoset: { id: string } }>('flickr.photosets.create', { title: 'C', primary_photo_id: p1 }, 'POST')).body.photoset.id;
    assert.equal((await client.rest<Ok>('flickr.photosets.delete', { photoset_id: c }, 'POST')).body.stat, 'ok');
    assert.deepEqual((await control.state()).photosets, []);
  }));

test('metadata: setMeta round-trips Unicode, setters refuse GET (116), photos.delete needs delete perms and leaves the sets', () =>
  withSignedIn('delete', async (client, control) => {
    const [p1, p2] = [await upload(client, 0), await upload(client, 1)];
    const setId = (await client.rest<{ photoset: { id: string } }>('flickr.photosets.create', { title: 'S', primary_photo_id: p1 }, 'POST')).body.photoset.id;
    await client.rest('flickr.photosets.addPhoto', { photoset_id: setId, photo_id: p2 }, 'POST');

    const title = '東京タワー ~ 50% + *night* "shot"';
    assert.equal((await client.rest<Ok>('flickr.photos.setMeta', { photo_id: p1, title, description: 'line 1\nline 2 & <b>bold</b>' }, 'POST')).body.stat, 'ok');
    type Info = { photo: { title: { _content: string }; description: { _content: string } } };
    const info = (await client.rest<Info>('flickr.photos.getInfo', { photo_id: p1 })).body.photo;
    assert.deepEqual([info.title._content, info.description._content], [title, 'line 1\nline 2 & <b>bold</b>']);
    assert.equal((await client.rest<Fail>('flickr.photos.setMeta', { photo_id: p1 }, 'POST')).body.code, 2);
    assert.deepEqual((await client.rest<Fail>('flickr.photos.setMeta', { photo_id: p1, title: 'via GET' }, 'GET')).body, { stat: 'fail', code: 116, message: 'The POST method is now required for all setters' });
    assert.equal((await control.state()).photos.find((p) => p.id === p1)?.title, title);

    assert.equal((await client.rest<Ok>('flickr.photos.delete', { photo_id: p1 }, 'POST')).body.stat, 'ok');
    assert.equal((await client.rest<Fail>('flickr.photos.delete', { photo_id: p1 }, 'POST')).body.code, 1);
    const state = await control.state();
    assert.deepEqual(state.photos.map((p) => p.id), [p2]);
    assert.deepEqual(state.photosets.map((s) => [s.primary, s.photoIds]), [[p2, [p2]]]);

    // The account owner may lose the Original size (as a secondary source reports for free accounts).
    await control.setAccount({ originals: false });
    type Sizes = { sizes: { size: { label: string }[] } };
    const labels = (await client.rest<Sizes>('flickr.photos.getSizes', { photo_id: p2 })).body.sizes.size.map((s) => s.label);
    assert.ok(!labels.includes('Original') && labels.includes('Small'), labels.join());
  }));

test('search: user_id=me with machine tags (any/all), tags, text, dates and sort; errors 2, 3, 11; others see public photos only', () =>
  withSignedIn('write', async (client, control, emu) => {
    const a = await upload(client, 0, { tags: 'photosync:sha256=aaa photosync:folder=trips beach', is_public: '0' });
    const b = await upload(client, 1, { tags: 'photosync:sha256=bbb photosync:folder=trips "Night Walk"', description: 'Golden Gate' });
    const c = await upload(client, 2, { tags: 'photosync:sha256=ccc' });
    type Search = { photos: { page: number; pages: number; perpage: number; total: number; photo: { id: string; owner: string; tags?: string; machine_tags?: string }[] } };
    const ids = async (args: Record<string, string>): Promise<string[]> => (await client.rest<Search>('flickr.photos.search', { user_id: 'me', ...args })).body.photos.photo.map((p) => p.id);

    assert.deepEqual(await ids({ machine_tags: 'photosync:sha256=bbb' }), [b]);
    assert.deepEqual(await ids({ machine_tags: 'photosync:sha256="aaa",photosync:sha256=ccc', sort: 'date-posted-asc' }), [a, c]);
    assert.deepEqual(await ids({ machine_tags: 'photosync:folder=trips,photosync:sha256=aaa', machine_tag_mode: 'all' }), [a]);
    assert.deepEqual(await ids({ machine_tags: 'photosync:folder=', sort: 'date-posted-asc' }), [a, b]);
    assert.deepEqual(await ids({ machine_tags: '*:sha256=ccc' }), [c]);
    assert.deepEqual(await ids({ tags: 'nightwalk' }), [b]);
    assert.deepEqual(await ids({ text: 'golden' }), [b]);
    assert.deepEqual(await ids({ min_taken_date: '2021-01-01 00:00:00', sort: 'date-taken-asc' }), [b, c]);
    assert.deepEqual(await ids({ sort: 'date-posted-desc' }), [c, b, a]);
    // privacy_filter: 1 public, 5 completely private (the caller's own photos).
    assert.deepEqual(await ids({ privacy_filter: '1', sort: 'date-posted-asc' }), [b, c]);
    assert.deepEqual(await ids({ privacy_filter: '5' }), [a]);
    assert.deepEqual(await ids({ privacy_filter: '2' }), []);

    const paged = (await client.rest<Search>('flickr.photos.search', { user_id: 'me', per_page: '2', page: '2', sort: 'date-posted-asc', extras: 'tags,machine_tags' })).body.photos;
    assert.deepEqual([paged.page, paged.pages, paged.perpage, paged.total], [2, 2, 2, 3]);
    assert.deepEqual(paged.photo.map((p) => [p.id, p.owner, p.tags, p.machine_tags]), [[c, '190012345@N07', '', 'photosync:sha256=ccc']]);

    assert.equal((await client.rest<Fail>('flickr.photos.search', {})).body.code, 3);
    assert.equal((await client.rest<Fail>('flickr.photos.search', { user_id: '1@N01' })).body.code, 2);
    assert.equal((await client.rest<Fail>('flickr.photos.search', { user_id: 'me', machine_tags: 'not a machine tag' })).body.code, 11);

    const other = new FlickrTestClient(emu.flickr);
    await signInFlickr(other, 'read', '190067890@N07');
    const seen = (await other.rest<Search>('flickr.photos.search', { user_id: '190012345@N07', sort: 'date-posted-asc' })).body.photos.photo.map((p) => p.id);
    assert.deepEqual(seen, [b, c], 'a private photo stays hidden from another account');
    assert.equal((await other.rest<Fail>('flickr.photos.getInfo', { photo_id: a })).body.code, 1);
    assert.equal((await other.rest<Fail>('flickr.photos.setMeta', { photo_id: b, title: 'mine now' }, 'POST')).body.code, 99);
    assert.equal((await control.state()).photos.length, 3);
  }));

test('formats: XML by default, JSONP without nojsoncallback; unknown method 112, unknown format 111', () =>
  withSignedIn('read', async (client, _control, emu) => {
    const xml = await client.get(emu.flickr.rest, { method: 'flickr.test.login' });
    assert.match(xml.headers.get('content-type') ?? '', /^text\/xml/);
    assert.equal(xml.text, '<?xml version="1.0" encoding="utf-8" ?>\n<rsp stat="ok">\n<user id="190012345@N07">\n\t<username>photo.sync.tester</username>\n</user>\n</rsp>\n');
    const jsonp = await client.get(emu.flickr.rest, { method: 'flickr.test.login', format: 'json' });
    assert.equal(jsonp.text, 'jsonFlickrApi({"user":{"id":"190012345@N07","username":{"_content":"photo.sync.tester"}},"stat":"ok"})');
    assert.deepEqual((await client.rest<Fail>('flickr.photos.nope')).body, { stat: 'fail', code: 112, message: 'Method "flickr.photos.nope" not found' });
    const unknownFormat = await client.get(emu.flickr.rest, { method: 'flickr.test.login', format: 'yaml' });
    assert.match(unknownFormat.text, /<rsp stat="fail">\n\t<err code="111" msg="Format &quot;yaml&quot; not found" \/>/);
  }));

test('rate limit: the 3,601st call of the hour gets HAProxy\'s 429 for that key only; an hour later calls pass again', () =>
  withSignedIn('read', async (client, control, emu) => {
    const unsigned = (key: string): Promise<Response> => fetch(`${emu.flickr.rest}?method=flickr.test.echo&format=json&nojsoncallback=1&api_key=${key}`);
    // signInFlickr already made 2 calls with the key (request_token, access_token).
    for (let sent = 2; sent < 3600; sent += 50) {
      const batch = await Promise.all(Array.from({ length: Math.min(50, 3600 - sent) }, () => unsigned(DEFAULT_FLICKR_API_KEY)));
      for (const res of batch) assert.equal(res.status, 200);
      await Promise.all(batch.map((r) => r.arrayBuffer()));
    }
    const over = await client.rest('flickr.test.login');
    assert.equal(over.status, 429);
    assert.equal(over.text, '<html><body><h1>429 Too Many Requests</h1>\nYou have sent too many requests in a given amount of time.\n</body></html>\n');
    assert.equal(Buffer.byteLength(over.text), 117);
    const other = await control.registerKey({ name: 'Other app' });
    assert.equal((await unsigned(other.key)).status, 200);

    const state = await control.state();
    assert.equal(state.rateLimit.lastHour[DEFAULT_FLICKR_API_KEY], 3601);
    assert.deepEqual(state.requestCounts['flickr.test.login'], { ok: 0, fail: 1 });

    await new EmulatorControl(emu.control).advanceClock(3_600_001);
    client.clockOffsetMs = 3_600_001;
    assert.equal((await client.rest<Ok>('flickr.test.login')).body.stat, 'ok');
  }));

test('faults: Flickr error codes per method, the shared status/reset/latency faults on Flickr routes, reset', () =>
  withSignedIn('write', async (client, control, emu) => {
    const google = new EmulatorControl(emu.control);
    const p1 = await upload(client, 0);
    const setId = (await client.rest<{ photoset: { id: string } }>('flickr.photosets.create', { title: 'F', primary_photo_id: p1 }, 'POST')).body.photoset.id;
    const p2 = await upload(client, 1);
    await control.faults({ type: 'error', method: 'flickr.photosets.addPhoto', code: 106, times: 1 });
    assert.deepEqual((await client.rest<Fail>('flickr.photosets.addPhoto', { photoset_id: setId, photo_id: p2 }, 'POST')).body, { stat: 'fail', code: 106, message: 'Write operation failed' });
    assert.equal((await client.rest<Ok>('flickr.photosets.addPhoto', { photoset_id: setId, photo_id: p2 }, 'POST')).body.stat, 'ok');

    await google.faults({ type: 'status', endpoint: 'flickr.rest', status: 503, times: 1 });
    assert.equal((await client.rest('flickr.test.login')).status, 503);
    await google.faults({ type: 'reset', endpoint: 'flickr.upload', afterBytes: 2000, times: 1 });
    await assert.rejects(client.upload(FIXTURES[2], 'cut.jpg'));
    await google.faults({ type: 'latency', endpoint: 'flickr.rest', ms: 300, times: 1 });
    const started = Date.now();
    assert.equal((await client.rest<Ok>('flickr.test.login')).body.stat, 'ok');
    assert.ok(Date.now() - started >= 300);

    const state = await control.state();
    assert.equal(state.photos.length, 2, 'the cut upload stored nothing');
    assert.equal((await google.state()).requestCounts['flickr.rest'] > 0, true);
    await google.reset();
    const fresh = await control.state();
    assert.deepEqual([fresh.photos.length, fresh.photosets.length, fresh.tokens.length], [0, 0, 0]);
  }));
