import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { attachPreview } from '../../src/preview/panel';
import { localFolderSource } from '../../src/preview/localFolderSource';
import { albumSource } from '../../src/preview/albumSource';
import { ItemGoneError } from '../../src/preview/gridSource';
import { ThumbnailCache } from '../../src/preview/thumbnailCache';
import type { HostToWebview } from '../../src/webview/protocol';
import { extensionUri, FakeWebview, fakeUri, RESOURCE_ORIGIN, until } from '../helpers/fakeWebview';
import { inspectJpeg, solidJpeg, withExifThumbnail } from '../helpers/photoFiles';

const FIXTURE = path.join(__dirname, '../fixtures/photos/IMG_0031.JPG');

function makeFolder(): { root: string; thumb: Buffer } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'grid-src-'));
  const put = (rel: string, bytes: Buffer | string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), bytes);
  };
  const thumb = solidJpeg(160, 100, [0, 0, 255]);
  mkdirSync(path.join(root, 'a'));
  copyFileSync(FIXTURE, path.join(root, 'a/IMG_0031.JPG'));
  put('b/withthumb.jpg', withExifThumbnail(solidJpeg(320, 200, [255, 0, 0]), thumb));
  put('b/rotated.jpg', withExifThumbnail(solidJpeg(320, 200, [255, 0, 0]), thumb, 6));
  put('c/broken.jpg', Buffer.from('this is not a jpeg at all'.repeat(20)));
  put('clip.mov', Buffer.alloc(100));
  put('d/IMG_10.jpg', solidJpeg(16, 16, [0, 255, 0]));
  put('d/IMG_2.jpg', solidJpeg(16, 16, [0, 255, 0]));
  put('z/deleted.jpg', solidJpeg(16, 16, [0, 0, 0]));
  put('.hidden/secret.jpg', solidJpeg(16, 16, [0, 0, 0]));
  put('.DS_Store', 'x');
  put('notes.txt', 'not a photo');
  return { root, thumb };
}

async function setup(root: string) {
  const cache = await ThumbnailCache.open(mkdtempSync(path.join(os.tmpdir(), 'grid-cache-')));
  const webview = new FakeWebview();
  const opened: string[] = [];
  const preview = attachPreview(webview.asWebview(), { extensionUri, cache, Uri: fakeUri, openImage: async (p) => void opened.push(p) }, { mode: 'grid', source: localFolderSource(root) });
  const page = webview.connectMessenger();
  const notes: { method: string; params: unknown }[] = [];
  for (const method of ['initGrid', 'itemsGone', 'notice'] as const) page.onNotification(method, (params: HostToWebview['notifications'][typeof method]) => notes.push({ method, params }));
  // Results come batched; one note per result reads better below.
  page.onNotification('thumbnails', ({ results }) => results.forEach((params) => notes.push({ method: 'thumbnail', params })));
  const decodeRequests: { id: string; size: number; mimeType: string; orientation?: number; maxSize: number }[] = [];
  page.onRequest('decodeImage', ({ id, bytes, mimeType, orientation, maxSize }) => {
    decodeRequests.push({ id, size: bytes.length, mimeType, orientation, maxSize });
    if (id.includes('broken')) throw new Error('The source image could not be decoded.');
    return { jpeg: solidJpeg(64, 40, [200, 200, 0]), width: 64, height: 40 };
  });
  return { cache, webview, preview, page, notes, decodeRequests, opened };
}

test('a local folder lists its photos and videos in natural order, hidden files and other files left out', async () => {
  const { root } = makeFolder();
  const { page, notes, preview } = await setup(root);
  void page.notify('ready', {});
  await until(() => notes.some((n) => n.method === 'initGrid'));
  const { firstItems, ...init } = notes[0].params as HostToWebview['notifications']['initGrid'];
  assert.deepEqual(init, { mode: 'grid', title: path.basename(root), total: 8, thumbnailSize: 256 });
  assert.deepEqual(firstItems.map((i) => i.name).slice(0, 2), ['IMG_0031.JPG', 'rotated.jpg'], 'the first items come with init');
  const { total, items } = await page.request('getItems', { start: 0, end: 100 });
  assert.equal(total, 8);
  assert.deepEqual(items.map((i) => `${i.detail ?? ''}|${i.name}|${i.kind}`), [
    'a|IMG_0031.JPG|image',
    'b|rotated.jpg|image',
    'b|withthumb.jpg|image',
    'c|broken.jpg|image',
    '|clip.mov|video',
    'd|IMG_2.jpg|image',
    'd|IMG_10.jpg|image',
    'z|deleted.jpg|image',
  ]);
  assert.deepEqual(items.map((i) => i.index), [0, 1, 2, 3, 4, 5, 6, 7]);
  const middle = await page.request('getItems', { start: 5, end: 7 });
  assert.deepEqual(middle.items.map((i) => i.name), ['IMG_2.jpg', 'IMG_10.jpg']);
  preview.dispose();
});

test('thumbnails: EXIF-embedded ones are cached as they are, others decoded by the webview, failures carry a reason', async () => {
  const { root, thumb } = makeFolder();
  const { page, notes, decodeRequests, cache, preview } = await setup(root);
  void page.notify('ready', {});
  const { items } = await page.request('getItems', { start: 0, end: 100 });
  rmSync(path.join(root, 'z/deleted.jpg'));
  void page.notify('wantThumbnails', { ids: items.map((i) => i.id) });
  const answered = () => new Set(notes.flatMap((n) => (n.method === 'thumbnail' ? [(n.params as { id: string }).id] : n.method === 'itemsGone' ? (n.params as { ids: string[] }).ids : [])));
  await until(() => answered().size === 8, 5000, 'every item answered');
  const byId = new Map(notes.filter((n) => n.method === 'thumbnail').map((n) => [(n.params as { id: string }).id, n.params as { url?: string; error?: string }]));

  // Embedded thumbnail, upright: the exact bytes from the EXIF block, no decode.
  const embeddedUrl = byId.get('b/withthumb.jpg')?.url ?? '';
  assert.ok(embeddedUrl.startsWith(`${RESOURCE_ORIGIN}${cache.dir}/`), embeddedUrl);
  assert.deepEqual(readFileSync(embeddedUrl.slice(RESOURCE_ORIGIN.length)), thumb);
  // Embedded but the photo is turned (orientation 6): the webview decodes the thumbnail with it.
  assert.deepEqual(decodeRequests.find((r) => r.id === 'b/rotated.jpg'), { id: 'b/rotated.jpg', size: thumb.length, mimeType: 'image/jpeg', orientation: 6, maxSize: 256 });
  // No embedded thumbnail: the whole file goes to the webview; its JPEG answer is what gets cached.
  const fixtureSize = readFileSync(FIXTURE).length;
  assert.deepEqual(decodeRequests.find((r) => r.id === 'a/IMG_0031.JPG'), { id: 'a/IMG_0031.JPG', size: fixtureSize, mimeType: 'image/jpeg', orientation: undefined, maxSize: 256 });
  const decoded = byId.get('a/IMG_0031.JPG')?.url;
  assert.ok(decoded);
  assert.deepEqual(inspectJpeg(readFileSync(decoded.slice(RESOURCE_ORIGIN.length))).width, 64);
  // Failures: a reason for the hover, never a URL.
  assert.match(byId.get('c/broken.jpg')?.error ?? '', /could not be decoded .*damaged/);
  assert.match(byId.get('clip.mov')?.error ?? '', /No preview: MOV files without an embedded thumbnail/);
  assert.deepEqual(notes.filter((n) => n.method === 'itemsGone').map((n) => n.params), [{ ids: ['z/deleted.jpg'] }]);
  assert.equal(byId.has('z/deleted.jpg'), false);

  // Asked again (scrolled back): cached ones come with their URL, failed ones with their reason, no new work.
  const decodesBefore = decodeRequests.length;
  const again = await page.request('getItems', { start: 0, end: 100 });
  const item = (id: string) => again.items.find((i) => i.id === id);
  assert.equal(item('b/withthumb.jpg')?.thumbnailUrl, embeddedUrl);
  assert.match(item('c/broken.jpg')?.thumbnailError ?? '', /damaged/);
  assert.equal(item('z/deleted.jpg')?.gone, true);
  void page.notify('wantThumbnails', { ids: again.items.map((i) => i.id) });
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(decodeRequests.length, decodesBefore);
  preview.dispose();
});

test('a thumbnail the page could not show is made again once, then reported', async () => {
  const { root } = makeFolder();
  const { page, notes, cache, preview } = await setup(root);
  void page.notify('ready', {});
  await page.request('getItems', { start: 0, end: 100 });
  void page.notify('wantThumbnails', { ids: ['d/IMG_2.jpg'] });
  const thumbs = () => notes.filter((n) => n.method === 'thumbnail').map((n) => n.params as { id: string; url?: string; error?: string });
  await until(() => thumbs().length === 1);
  const file = thumbs()[0].url?.slice(RESOURCE_ORIGIN.length) as string;
  rmSync(file); // evicted behind the page's back
  void page.notify('thumbnailBroken', { id: 'd/IMG_2.jpg' });
  await until(() => thumbs().length === 2);
  assert.ok(thumbs()[1].url);
  assert.ok(readFileSync(file).length > 0, 'made again');
  void page.notify('thumbnailBroken', { id: 'd/IMG_2.jpg' });
  await until(() => thumbs().length === 3);
  assert.deepEqual(thumbs()[2], { id: 'd/IMG_2.jpg', error: 'The thumbnail could not be shown' });
  assert.equal(cache.count >= 1, true);
  preview.dispose();
});

test('the filter narrows by name on the host, and Enter/click opens the file; a deleted one turns to gone', async () => {
  const { root } = makeFolder();
  const { page, notes, opened, preview } = await setup(root);
  void page.notify('ready', {});
  await page.request('getItems', { start: 0, end: 100 });
  assert.deepEqual(await page.request('setFilter', { text: '  img_ ' }), { total: 3 });
  const filtered = await page.request('getItems', { start: 0, end: 100 });
  assert.deepEqual(filtered.items.map((i) => [i.index, i.name]), [[0, 'IMG_0031.JPG'], [1, 'IMG_2.jpg'], [2, 'IMG_10.jpg']]);
  assert.equal(filtered.total, 3);
  assert.deepEqual(await page.request('setFilter', { text: '' }), { total: 8 });
  void page.notify('open', { id: 'd/IMG_10.jpg' });
  await until(() => opened.length === 1);
  assert.equal(opened[0], path.join(root, 'd/IMG_10.jpg'));
  rmSync(path.join(root, 'd/IMG_2.jpg'));
  void page.notify('open', { id: 'd/IMG_2.jpg' });
  await until(() => notes.some((n) => n.method === 'itemsGone'));
  assert.deepEqual(notes.find((n) => n.method === 'itemsGone')?.params, { ids: ['d/IMG_2.jpg'] });
  assert.equal(opened.length, 1);
  preview.dispose();
});

test('an album source pages the index in chunks of at most 1000, fetches sized thumbnails and keys them by sha256', async () => {
  const records = Array.from({ length: 2500 }, (_, i) => ({ id: `m${i}`, filename: `P${i}.jpg`, mimeType: i % 10 === 9 ? 'video/mp4' : 'image/jpeg', creationTime: '2024-05-06T07:08:09Z', sha256: i < 2 ? `sha${i}` : undefined }));
  const pageCalls: [number, number][] = [];
  const fetched: [string, number][] = [];
  const source = albumSource({
    title: 'Summer',
    count: () => records.length,
    page: (offset, limit) => {
      assert.ok(limit <= 1000);
      pageCalls.push([offset, limit]);
      return records.slice(offset, offset + limit);
    },
    fetchThumbnail: async (item, size) => {
      fetched.push([item.id, size]);
      if (item.id === 'm1') throw new ItemGoneError(item.id);
      return solidJpeg(8, 8, [1, 2, 3]);
    },
    downloadFull: async (item) => `/downloads/${item.filename}`,
  });
  const signal = new AbortController().signal;
  const page = await source.page(900, 1200, signal);
  assert.deepEqual(pageCalls, [[900, 1000], [1900, 200]]);
  assert.equal(page.length, 1200);
  assert.deepEqual(page[9], { id: 'm909', name: 'P909.jpg', detail: '2024-05-06', kind: 'video', mimeType: 'video/mp4', cacheKey: 'remote:m909' });
  const [first] = await source.page(0, 1, signal);
  assert.equal(first.cacheKey, 'sha256:sha0', 'same bytes, same thumbnail');
  assert.equal((await source.thumbnail(first, 256, signal)).kind, 'jpeg');
  assert.deepEqual(fetched, [['m0', 256]]);
  assert.equal(await source.fullImage(first, signal), '/downloads/P0.jpg');
});
