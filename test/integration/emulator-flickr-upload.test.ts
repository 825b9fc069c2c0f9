// Flickr's upload API in the emulator: multipart with an unsigned photo part, the XML answers,
// EXIF dates, async tickets, the free-account cap and the photo bytes behind the size URLs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { startEmulator, type RunningEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { FlickrControl } from '../emulator/flickr/client';
import { FlickrTestClient, signInFlickr } from '../emulator/flickr/test-client';
import { dimensionsOf as imageSize } from '../emulator/media-probe';

const JPEG = readFileSync('test/fixtures/photos/DSC_0412.jpg'); // EXIF 2020:02:03 14:02:51, +01:00
const JPEG2 = readFileSync('test/fixtures/photos/IMG_0031.JPG');
// A 1×1 PNG: no EXIF, so Flickr dates it by the upload.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

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

const photoIdOf = (xml: string): string => /<photoid secret="[0-9a-f]{10}" originalsecret="[0-9a-f]{10}">(\d+)<\/photoid>/.exec(xml)?.[1] ?? '';
const errOf = (xml: string): [number, string] | undefined => {
  const m = /<rsp stat="fail">\s*<err code="(\d+)" msg="([^"]*)" \/>/.exec(xml);
  return m ? [Number(m[1]), m[2]] : undefined;
};

test('upload: unsigned photo part, XML <photoid>, stored bytes with their sha256, EXIF date kept as local time', () =>
  withSignedIn('write', async (client, control) => {
    const tag = `photosync:sha256=${sha256(JPEG)}`;
    const title = 'Tour Eiffel ~ 50% + *snow* 📷';
    const res = await client.upload(JPEG, 'DSC_0412.jpg', { title, description: 'Zürich → Paris', tags: `paris "night walk" ${tag}`, is_public: '0' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/xml/);
    assert.match(res.text, /^<\?xml version="1\.0" encoding="utf-8" \?>\n<rsp stat="ok">\n<photoid secret="[0-9a-f]{10}" originalsecret="[0-9a-f]{10}">\d+<\/photoid>\n<\/rsp>\n$/);
    const id = photoIdOf(res.text);

    const state = await control.state();
    const photo = state.photos.find((p) => p.id === id);
    assert.ok(photo);
    assert.equal(photo.sha256, sha256(JPEG));
    assert.equal(photo.size, JPEG.length);
    assert.equal(photo.title, title);
    assert.equal(photo.date_taken, '2020-02-03 14:02:51');
    assert.equal(photo.date_taken_unknown, false);
    assert.deepEqual(photo.tags, ['paris', 'nightwalk', tag]);
    assert.equal(photo.is_public, false);
    assert.deepEqual(state.requestCounts.upload, { ok: 1, fail: 0 });

    type Info = { photo: { title: { _content: string }; description: { _content: string }; dates: { taken: string; takenunknown: string }; originalformat: string; tags: { tag: { raw: string; machine_tag: number }[] } } };
    const info = await client.rest<Info>('flickr.photos.getInfo', { photo_id: id });
    assert.equal(info.body.photo.title._content, title);
    assert.equal(info.body.photo.description._content, 'Zürich → Paris');
    assert.deepEqual(info.body.photo.dates.taken, '2020-02-03 14:02:51');
    assert.equal(info.body.photo.originalformat, 'jpg');
    assert.deepEqual(info.body.photo.tags.tag.map((t) => [t.raw, t.machine_tag]), [['paris', 0], ['night walk', 0], [tag, 1]]);

    // The Original URL serves the very bytes uploaded; a smaller size is a JPEG of that size.
    type Sizes = { sizes: { size: { label: string; width: number; height: number; source: string }[] } };
    const sizes = (await client.rest<Sizes>('flickr.photos.getSizes', { photo_id: id })).body.sizes.size;
    assert.deepEqual(sizes.map((s) => s.label), ['Square', 'Large Square', 'Thumbnail', 'Small', 'Small 320', 'Small 400', 'Original']);
    const original = sizes.find((s) => s.label === 'Original')!;
    assert.deepEqual([original.width, original.height], [480, 360]);
    const bytes = new Uint8Array(await (await fetch(original.source)).arrayBuffer());
    assert.equal(sha256(bytes), sha256(JPEG));
    const small = sizes.find((s) => s.label === 'Small')!;
    const smallBytes = Buffer.from(await (await fetch(small.source)).arrayBuffer());
    assert.deepEqual(imageSize(smallBytes), { width: 240, height: 180 });
    assert.equal((await fetch(original.source.replace(/_[0-9a-f]{10}_o/, '_0000000000_o'))).status, 404);

    // Found again by its hash, as a client does after a lost answer.
    type Search = { photos: { total: number; photo: { id: string }[] } };
    const hit = await client.rest<Search>('flickr.photos.search', { user_id: 'me', machine_tags: tag });
    assert.deepEqual(hit.body.photos.photo.map((p) => p.id), [id]);
    const miss = await client.rest<Search>('flickr.photos.search', { user_id: 'me', machine_tags: `photosync:sha256=${sha256(PNG)}` });
    assert.equal(miss.body.photos.total, 0);
  }));

test('no EXIF: the date taken is the upload time (takenunknown=1) until setDates sets it', () =>
  withSignedIn('write', async (client, control) => {
    const before = Date.now();
    const id = photoIdOf((await client.upload(PNG, 'scan.png', { title: 'scan' })).text);
    const photo = (await control.state()).photos.find((p) => p.id === id)!;
    assert.equal(photo.original_format, 'png');
    assert.equal(photo.date_taken_unknown, true);
    const taken = Date.parse(`${photo.date_taken.replace(' ', 'T')}Z`);
    assert.ok(taken >= Math.floor(before / 1000) * 1000 && taken <= Date.now(), photo.date_taken);

    const set = await client.rest<{ stat: string }>('flickr.photos.setDates', { photo_id: id, date_taken: '1999-12-31 23:59:58', date_taken_granularity: '4' }, 'POST');
    assert.equal(set.body.stat, 'ok');
    const after = (await control.state()).photos.find((p) => p.id === id)!;
    assert.deepEqual([after.date_taken, after.date_taken_unknown, after.date_taken_granularity], ['1999-12-31 23:59:58', false, 4]);
    const bad = await client.rest<{ code: number }>('flickr.photos.setDates', { photo_id: id, date_taken: '31/12/1999' }, 'POST');
    assert.equal(bad.body.code, 5);
  }));

test('upload refusals: a signed photo part, no token, no photo, zero bytes, not an image, read-only token', () =>
  withSignedIn('write', async (client, control, emu) => {
    const signedPhoto = await client.upload(JPEG, 'a.jpg', { title: 'x' }, { signPhoto: true });
    assert.equal(signedPhoto.status, 401);
    assert.match(signedPhoto.text, /^oauth_problem=signature_invalid&debug_sbs=POST&http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fflickr%2Fservices%2Fupload%2F&/);

    const noToken = new FlickrTestClient(emu.flickr);
    const r = await noToken.upload(JPEG, 'a.jpg');
    assert.equal(r.text, 'oauth_problem=parameter_absent&oauth_parameters_absent=oauth_token');

    // No photo part at all: the fields alone, signed.
    const form = new FormData();
    for (const [k, v] of Object.entries(client.sign('POST', emu.flickr.upload, { title: 'x' }))) form.append(k, v);
    assert.deepEqual(errOf(await (await fetch(emu.flickr.upload, { method: 'POST', body: form })).text()), [2, 'No photo specified']);
    assert.deepEqual(errOf((await client.upload(new Uint8Array(0), 'empty.jpg')).text), [4, 'Filesize was zero']);
    assert.deepEqual(errOf((await client.upload(Buffer.from('just some text'), 'notes.jpg')).text), [5, 'Filetype was not recognised']);

    const reader = new FlickrTestClient(emu.flickr);
    await signInFlickr(reader, 'read');
    assert.deepEqual(errOf((await reader.upload(JPEG, 'a.jpg')).text), [99, 'Insufficient permissions. Method requires write privileges; read granted.']);

    const state = await control.state();
    assert.equal(state.photos.length, 0);
    assert.deepEqual(state.requestCounts.upload, { ok: 0, fail: 6 });
  }));

test('async upload: a ticket, complete=0 while processing, then 1 with the photo id; failures are complete=2', () =>
  withSignedIn('write', async (client, control, emu) => {
    const google = new EmulatorControl(emu.control);
    await control.faults({ type: 'ticketDelay', ms: 30_000 });
    const res = await client.upload(JPEG, 'a.jpg', { title: 'async', async: '1' });
    const ticket = /<ticketid>(\d+)<\/ticketid>/.exec(res.text)?.[1] ?? '';
    assert.ok(ticket, res.text);
    type Tickets = { uploader: { ticket: { id: string; complete?: number; photoid?: string; invalid?: number }[] } };
    const check = async (ids: string[]): Promise<Tickets['uploader']['ticket']> => (await client.rest<Tickets>('flickr.photos.upload.checkTickets', { tickets: ids.join(',') })).body.uploader.ticket;

    assert.deepEqual(await check([ticket, '999']), [{ id: ticket, complete: 0 }, { id: '999', invalid: 1 }]);
    assert.equal((await control.state()).photos.length, 0);
    await google.advanceClock(31_000);
    client.clockOffsetMs = 31_000;
    const [done] = await check([ticket]);
    assert.equal(done.complete, 1);
    const photo = (await control.state()).photos.find((p) => p.id === done.photoid);
    assert.equal(photo?.sha256, sha256(JPEG));
    assert.equal(photo?.title, 'async');

    await control.faults({ type: 'failTickets', times: 1 });
    const failing = /<ticketid>(\d+)<\/ticketid>/.exec((await client.upload(JPEG2, 'b.jpg', { async: '1' })).text)?.[1] ?? '';
    const failedByHand = /<ticketid>(\d+)<\/ticketid>/.exec((await client.upload(PNG, 'c.png', { async: '1' })).text)?.[1] ?? '';
    await control.failTicket(failedByHand);
    await google.advanceClock(31_000);
    client.clockOffsetMs = 62_000;
    assert.deepEqual(await check([failing, failedByHand]), [{ id: failing, complete: 2 }, { id: failedByHand, complete: 2 }]);
    const state = await control.state();
    assert.deepEqual(state.photos.map((p) => p.sha256), [sha256(JPEG)]);
    assert.deepEqual(state.tickets.map((t) => t.status), ['complete', 'failed', 'failed']);
  }));

test('free accounts stop at 1,000 items with error 6; pro accounts do not; getInfo, getUploadStatus and getLimits tell the account', () =>
  withSignedIn('write', async (client, control) => {
    await control.addSitePhotos(999);
    type Person = { person: { ispro: number; photos: { count: { _content: number } } } };
    const info = await client.rest<Person>('flickr.people.getInfo', { user_id: '190012345@N07' });
    assert.deepEqual([info.body.person.ispro, info.body.person.photos.count._content], [0, 999]);

    assert.ok(photoIdOf((await client.upload(JPEG, 'thousandth.jpg')).text));
    assert.deepEqual(errOf((await client.upload(JPEG2, 'one-too-many.jpg')).text), [6, 'Upload limit reached. For more info, visit flickr.com/pro']);
    assert.equal((await control.state()).accounts[0].itemCount, 1000);

    type Limits = { person: { photos: { maxdisplaypx: string; maxupload: string } } };
    assert.equal((await client.rest<Limits>('flickr.people.getLimits')).body.person.photos.maxdisplaypx, '1024');
    await control.setAccount({ accountType: 'pro' });
    assert.ok(photoIdOf((await client.upload(JPEG2, 'pro.jpg')).text));
    type Status = { user: { ispro: number; filesize: { maxbytes: string } } };
    const status = await client.rest<Status>('flickr.people.getUploadStatus');
    assert.deepEqual([status.body.user.ispro, status.body.user.filesize.maxbytes], [1, String(200 * 1024 * 1024)]);
    const limits = (await client.rest<Limits>('flickr.people.getLimits')).body.person.photos;
    assert.deepEqual([limits.maxdisplaypx, limits.maxupload], ['0', String(200 * 1024 * 1024)]);
    assert.equal((await control.state()).accounts[0].itemCount, 1001);
  }));
