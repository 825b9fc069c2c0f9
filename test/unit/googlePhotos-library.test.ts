import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeBatchCreate, PhotosLibrary, query } from '../../src/destinations/googlePhotos/library';
import { toContainer, toRemoteItem, validateForCreate } from '../../src/destinations/googlePhotos/provider';
import { GoogleHttp, pathOnly } from '../../src/google/http';
import { rpcCodeName } from '../../src/destinations/googlePhotos/types';
import type { NewMediaItem } from '../../src/destinations/googlePhotos/types';

const item = (uploadToken: string): NewMediaItem => ({ simpleMediaItem: { uploadToken, fileName: `${uploadToken}.jpg` } });

test('batchCreate success means a media item and no error code; messages are not compared', () => {
  const outcomes = judgeBatchCreate(
    [item('a'), item('b'), item('c'), item('d'), item('e')],
    [
      { uploadToken: 'a', status: { message: 'Success' }, mediaItem: { id: 'A' } },
      { uploadToken: 'b', status: { code: 0, message: 'OK' }, mediaItem: { id: 'B' } },
      { uploadToken: 'c', status: { code: 3, message: 'Success' } },
      { uploadToken: 'd', mediaItem: { id: 'D' } },
      { uploadToken: 'e', status: { code: 5, message: 'Failed: upload token expired' }, mediaItem: { id: 'E?' } },
    ],
  );
  assert.deepEqual(outcomes.map((o) => o.ok), [true, true, false, true, false]);
  assert.equal(outcomes[2].status?.code, 3);
});

test('batchCreate results pair by upload token even when reordered, and a missing one is a failure', () => {
  const outcomes = judgeBatchCreate([item('x'), item('y'), item('z')], [
    { uploadToken: 'z', mediaItem: { id: 'Z' } },
    { uploadToken: 'x', mediaItem: { id: 'X' } },
  ]);
  assert.deepEqual(outcomes.map((o) => [o.uploadToken, o.ok, o.mediaItem?.id]), [['x', true, 'X'], ['y', false, undefined], ['z', true, 'Z']]);
  assert.equal(outcomes[1].status?.code, 2);
});

test('query strings repeat array keys and leave out undefined', () => {
  assert.equal(query({ mediaItemIds: ['a', 'b/c'] }), '?mediaItemIds=a&mediaItemIds=b%2Fc');
  assert.equal(query({ pageSize: 50, pageToken: undefined }), '?pageSize=50');
  assert.equal(query({}), '');
});

test('media items map to provider items with numeric sizes and camera from photo or video', () => {
  const photo = toRemoteItem({ id: '1', filename: 'a.jpg', mimeType: 'image/jpeg', mediaMetadata: { creationTime: '2024-05-01T10:00:00Z', width: '4032', height: '3024', photo: { cameraMake: 'Canon', cameraModel: 'EOS' } } });
  assert.deepEqual(photo, { id: '1', filename: 'a.jpg', mimeType: 'image/jpeg', creationTime: '2024-05-01T10:00:00Z', description: undefined, width: 4032, height: 3024, cameraMake: 'Canon', cameraModel: 'EOS', webUrl: undefined, kind: 'photo' });
  assert.equal(toRemoteItem({ id: '2', mediaMetadata: { video: { cameraModel: 'Pixel' } } }).cameraModel, 'Pixel');
  assert.deepEqual(toContainer({ id: 'al', title: 'Trip', mediaItemsCount: '12' }), { id: 'al', title: 'Trip', itemCount: 12, writable: true });
});

test('items Google would reject are caught before the request', () => {
  assert.equal(validateForCreate({ fileName: 'ok.jpg' }), undefined);
  assert.equal(validateForCreate({ fileName: `${'写'.repeat(251)}.jpg` }), undefined); // 255 characters
  assert.match(validateForCreate({ fileName: `${'a'.repeat(252)}.jpg` }) ?? '', /at most 255/);
  assert.match(validateForCreate({ fileName: 'a.jpg', description: 'd'.repeat(1000) }) ?? '', /fewer than 1000/);
  assert.match(validateForCreate({ fileName: '  ' }) ?? '', /empty/);
});

test('rpc codes map to names, and logged URLs drop their query', () => {
  assert.equal(rpcCodeName(3), 'INVALID_ARGUMENT');
  assert.equal(rpcCodeName(undefined), 'OK');
  assert.equal(pathOnly('https://photoslibrary.googleapis.com/v1/uploads?upload_id=SECRET&upload_protocol=resumable'), 'https://photoslibrary.googleapis.com/v1/uploads');
});

test('batch limits are enforced before any request is sent', async () => {
  let asked = 0;
  const http = new GoogleHttp({ tokenSource: { getAccessToken: async () => (asked++, 'unused') } });
  const library = new PhotosLibrary(http, 'http://127.0.0.1:9');
  const items = Array.from({ length: 51 }, (_, i) => item(`t${i}`));
  await assert.rejects(library.batchCreateMediaItems({ newMediaItems: items }), /at most 50/);
  await assert.rejects(library.batchCreateMediaItems({ newMediaItems: [] }), /at least one/);
  await assert.rejects(library.batchGetMediaItems(['a', 'a']), /each id once/);
  await assert.rejects(library.batchAddMediaItems('al', Array.from({ length: 51 }, (_, i) => `m${i}`)), /at most 50/);
  await assert.rejects(library.batchRemoveMediaItems('al', ['x', 'x']), /each id once/);
  assert.equal(asked, 0);
});
