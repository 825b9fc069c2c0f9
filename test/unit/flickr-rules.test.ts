// Flickr's rules without the network: what its codes and refusals mean, its endpoints setting, the
// permission a sign-in asks for, the plan cut to a free account's room, and the sidebar row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyFlickrError, FlickrSyncError } from '../../src/destinations/flickr/classify';
import { FLICKR_QUOTA, flickrRules } from '../../src/destinations/flickr/rules';
import { privacyOf } from '../../src/destinations/flickr/destination';
import { shaOfTags, titleOf } from '../../src/destinations/flickr/uploads';
import { FlickrApiError, FlickrHttpError, FlickrOAuthError } from '../../src/flickr/errors';
import { FLICKR_ENDPOINTS, oauthUrl, resolveFlickrEndpoints } from '../../src/flickr/endpoints';
import { FlickrAuthError } from '../../src/auth/flickr/authError';
import { permsCover, strongestPerms } from '../../src/auth/flickr/sessionStore';
import { flickrPermsFor } from '../../src/activation/flickr';
import { loadMediaTypes } from '../../src/metadata/mediaTypes';
import { trimToRoom, roomLeft } from '../../src/sync/capacity';
import { buildPlan } from '../../src/sync/plan';
import { destinationAlbumsNode } from '../../src/ui/destinationTree';
import type { TreeItem } from '../helpers/vscodeFake';
import { createVsCode } from '../helpers/vscodeFake';
import { folder } from '../integration/sync-harness';
import { openTestIndex } from './sync-fixtures';
import type { TreeVsCode } from '../../src/ui/treeNodes';
import type { ScannedFile } from '../../src/sync/scan';

const NOW = Date.UTC(2026, 10, 29, 17, 20);
const classify = (err: unknown) => classifyFlickrError(err, NOW, FLICKR_QUOTA);

test('Flickr’s answers become neutral outcomes: retried, refused, the user’s to fix, or the hour spent', () => {
  assert.deepEqual(classify(new FlickrHttpError('upload', 429, 'too many')), { kind: 'quota', until: Date.UTC(2026, 10, 29, 18), label: 'hourly limit' });
  assert.deepEqual(classify(new FlickrSyncError('budgetSpent', 'spent')), { kind: 'quota', until: Date.UTC(2026, 10, 29, 18), label: 'hourly limit' });
  for (const code of [105, 106]) assert.equal(classify(new FlickrApiError('flickr.photosets.addPhoto', code, 'x')).kind, 'retry');
  assert.equal(classify(new FlickrHttpError('flickr.photos.search', 503, 'x')).kind, 'retry');
  assert.equal(classify(new FlickrOAuthError('upload', 'nonce_used', 401)).kind, 'retry');
  for (const code of [0, 3]) assert.equal(classify(new FlickrApiError('upload', code, 'x')).kind, 'retry');
  for (const code of [4, 5, 8]) assert.equal(classify(new FlickrApiError('upload', code, 'x')).kind, 'rejected');
  for (const [method, code] of [['upload', 6], ['upload', 7], ['flickr.photosets.create', 3], ['flickr.photosets.addPhoto', 10], ['flickr.photos.search', 98], ['upload', 99], ['flickr.photosets.getList', 100]] as const) {
    const outcome = classify(new FlickrApiError(method, code, 'x'));
    assert.equal(outcome.kind, 'needs-user', `${method} ${code}`);
    assert.ok(outcome.kind === 'needs-user' && (outcome.message ?? '').length > 20);
  }
  for (const problem of ['signature_invalid', 'token_rejected', 'consumer_key_unknown', 'timestamp_refused']) assert.equal(classify(new FlickrOAuthError('flickr.photos.search', problem, 401)).kind, 'needs-user', problem);
  assert.match(
    (classify(new FlickrOAuthError('upload', 'signature_invalid', 401, { kind: 'encoding', parameter: 'title' })) as { message: string }).message,
    /encoded differently from how it was signed \(first difference at parameter title\).*report this/,
  );
  assert.equal(classify(new FlickrApiError('flickr.photosets.create', 1, 'No title specified')).kind, 'fatal');
  assert.equal(classify(new FlickrSyncError('ticketFailed', 'x')).kind, 'fatal');
  assert.equal(classify(new FlickrSyncError('originalUnavailable', 'x')).kind, 'needs-user');
  assert.equal(classify(new FlickrAuthError('signedOut', 'x')).kind, 'needs-user');
  assert.equal(classify(new DOMException('stopped', 'AbortError')).kind, 'cancelled');
  assert.equal(classify(Object.assign(new Error('socket'), { code: 'ECONNRESET' })).kind, 'retry');
});

test('types and sizes Flickr takes; one add per call in commits of up to 50; albums cannot be empty; receipts never expire; photo bytes are not API calls', async () => {
  const rules = flickrRules(await loadMediaTypes(), { asyncThreshold: 1000 });
  assert.equal(rules.accepts('a.JPG')?.limitBytes, 200 * 1024 * 1024);
  assert.equal(rules.accepts('clip.mov')?.limitBytes, 1024 * 1024 * 1024);
  for (const name of ['a.png', 'a.gif', 'a.tif', 'a.heic', 'clip.mp4']) assert.ok(rules.accepts(name), name);
  for (const name of ['a.webp', 'a.bmp', 'a.avi', 'notes.txt', 'raw.cr2']) assert.equal(rules.accepts(name), undefined, name);
  assert.match(rules.unsupportedReason, /Flickr accepts/);
  assert.equal(rules.maxBatch, 50);
  assert.equal(rules.commitRequests?.(7, 50), 7, 'one photosets.addPhoto per photo');
  assert.equal(rules.addRequests?.(3, 50), 3);
  assert.equal(rules.emptyContainers, false);
  assert.equal(rules.receiptLifetimeMs, undefined);
  assert.equal(rules.uploadRequests(999), 1);
  assert.equal(rules.uploadRequests(1000), 3, 'an async upload plus its ticket checks');
  assert.equal(rules.countsTowardQuota('flickr.photos.search'), true);
  assert.equal(rules.countsTowardQuota('flickr.upload'), true);
  assert.equal(rules.countsTowardQuota('flickr.photoBytes'), false);
  assert.equal(FLICKR_QUOTA.limit, 3600);
  assert.equal(FLICKR_QUOTA.period, 'hour');
});

test('photoSync.endpoints: Flickr’s addresses by default, overrides for the emulator, never plain http elsewhere', () => {
  assert.deepEqual(resolveFlickrEndpoints(undefined), FLICKR_ENDPOINTS);
  assert.equal(oauthUrl(FLICKR_ENDPOINTS, 'request_token'), 'https://www.flickr.com/services/oauth/request_token');
  const emu = resolveFlickrEndpoints({ flickrOAuth: 'http://127.0.0.1:5000/flickr/services/oauth/', flickrRest: 'http://127.0.0.1:5000/flickr/services/rest', flickrUpload: 'http://127.0.0.1:5000/flickr/services/upload/', library: 'x' });
  assert.equal(oauthUrl(emu, 'authorize'), 'http://127.0.0.1:5000/flickr/services/oauth/authorize');
  assert.equal(emu.upload, 'http://127.0.0.1:5000/flickr/services/upload/', 'the trailing slash is kept: it is part of what is signed');
  assert.throws(() => resolveFlickrEndpoints({ flickrRest: 'http://api.flickr.com/services/rest' }), /must use https/);
  assert.throws(() => resolveFlickrEndpoints({ flickrRest: 'not a url' }), /not a valid URL/);
  assert.throws(() => resolveFlickrEndpoints({ flickrUpload: 'https://up.flickr.com/services/upload/?x=1' }), /query/);
});

test('permissions: delete covers write covers read; sign-in asks for delete only where a Flickr folder mirrors deletes', () => {
  assert.ok(permsCover('delete', ['write', 'read']));
  assert.ok(!permsCover('write', ['delete']));
  assert.ok(!permsCover('write', ['admin']));
  assert.equal(strongestPerms([]), 'write');
  assert.equal(strongestPerms(['read', 'delete']), 'delete');
  const plain = folder({ path: '/p/a', destination: 'flickr' });
  assert.equal(flickrPermsFor([plain]), 'write');
  assert.equal(flickrPermsFor([plain, { ...folder({ path: '/p/g' }), mirrorDeletes: true } as typeof plain]), 'write', 'a Google Photos folder does not count');
  assert.equal(flickrPermsFor([{ ...plain, mirrorDeletes: true } as typeof plain]), 'delete');
  assert.equal(privacyOf(undefined), 'private');
  assert.equal(privacyOf({ privacy: 'public' }), 'public');
  assert.equal(privacyOf({ privacy: 'everyone' }), 'private');
});

test('titles, and the sha256 machine tag read back from a photo’s machine tags', () => {
  assert.equal(titleOf('IMG_0001.JPG'), 'IMG_0001');
  assert.equal(titleOf('.hidden'), '.hidden');
  assert.equal(titleOf('no extension'), 'no extension');
  const hex = 'a'.repeat(64);
  assert.equal(shaOfTags(`other:x=1 photosync:sha256=${hex}`), hex);
  assert.equal(shaOfTags('photosync:sha256=short'), undefined);
  assert.equal(shaOfTags(undefined), undefined);
});

test('a plan cut to a free account’s room keeps the first uploads, adds of content already there, and recounts the cost', async () => {
  const index = await openTestIndex();
  try {
    const rules = flickrRules(await loadMediaTypes());
    const f = folder({ path: '/photos/Trip', destination: 'flickr' });
    const file = (name: string, sha256: string, albumTitle: string): ScannedFile => ({ path: `/photos/Trip/${name}`, rel: name, name, size: 10, mtimeMs: 1, status: 'candidate', kind: 'photo', mimeType: 'image/jpeg', sha256, changed: true, albumTitle });
    const plan = buildPlan(
      [{ folder: f, scan: { root: f.path, files: [file('a.jpg', 'a'.repeat(64), 'A'), file('b.jpg', 'b'.repeat(64), 'B'), file('c.jpg', 'c'.repeat(64), 'C'), file('copy.jpg', 'c'.repeat(64), 'D')], skippedFolders: [], problems: [], missing: false } }],
      index,
      { accountId: 'n', provider: 'flickr', rules, batchSize: 50 },
    );
    assert.equal(plan.uploads.length, 3);
    assert.equal(plan.adds.length, 1);
    const cut = trimToRoom(plan, 1, { rules, batchSize: 50 });
    // 3 uploads + 3 album adds + 1 add of the copy + 4 album creates.
    assert.equal(plan.cost.total, 3 + 3 + 1 + 4);
    assert.deepEqual(cut.uploads.map((u) => u.file.name), ['a.jpg']);
    assert.deepEqual(cut.adds, [], 'the copy waited for c.jpg, which was cut');
    assert.deepEqual(cut.albumsToCreate, ['A']);
    assert.equal(cut.bytesToUpload, 10);
    assert.equal(cut.cost.total, 1 + 1 + 1, 'one upload, its album placement, its album');
    assert.equal(roomLeft({ limit: 1000, used: 1003, account: 'x', items: 'y' }), 0);
  } finally {
    await index.dispose();
  }
});

test('the sidebar row of a destination lists its albums with their counts', async () => {
  const index = await openTestIndex();
  try {
    await index.write((w) => {
      w.albums.upsert({ id: 's1', accountId: 'n', provider: 'flickr', title: 'Trip', appCreated: true, productUrl: 'https://www.flickr.com/photos/n/albums/s1' });
      w.mediaItems.upsertMany(['p1', 'p2'].map((id) => ({ id, accountId: 'n', provider: 'flickr', filename: `${id}.jpg`, mimeType: 'image/jpeg' })));
      w.mediaItems.addToAlbum('s1', ['p1', 'p2']);
      w.albums.upsert({ id: 'g1', accountId: 'g', provider: 'google-photos', title: 'Not Flickr', appCreated: true });
      // Found on Flickr (made on its site): the count Flickr reported.
      w.albums.upsert({ id: 's0', accountId: 'n', provider: 'flickr', title: 'Older', appCreated: true, itemCount: 12 });
    });
    const { vs } = createVsCode();
    const node = destinationAlbumsNode(vs as unknown as TreeVsCode, index, { provider: 'flickr', accountId: 'n', displayName: 'Flickr', accountLabel: 'alex' });
    const item = node.toTreeItem() as unknown as TreeItem;
    assert.equal(item.label, 'Flickr');
    assert.equal(item.description, '2 albums');
    const [older, album] = (await node.children?.()) ?? [];
    assert.equal((older.toTreeItem() as unknown as TreeItem).description, '12 items');
    const albumItem = album.toTreeItem() as unknown as TreeItem;
    assert.equal(albumItem.label, 'Trip');
    assert.equal(albumItem.description, '2 items');
    assert.match(String((albumItem.tooltip as { value?: string }).value), /\[Open in Flickr\]\(https:\/\/www\.flickr\.com\/photos\/n\/albums\/s1\)/);
  } finally {
    await index.dispose();
  }
});
