import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderDescription, uploadFileName } from '../../src/sync/names';

test('upload file names: control characters and separators replaced, at most 255 characters keeping the extension', () => {
  assert.equal(uploadFileName('a\tb\u0007.jpg'), 'a_b_.jpg');
  assert.equal(uploadFileName('写真 🌸.HEIC'), '写真 🌸.HEIC');
  const long = uploadFileName(`${'😀'.repeat(300)}.jpeg`);
  assert.equal(Array.from(long).length, 255);
  assert.ok(long.endsWith('😀.jpeg'));
  assert.equal(uploadFileName('  '), 'photo');
  // NFD (macOS) names become NFC, as Google shows them.
  assert.equal(uploadFileName('e\u0301te\u0301.jpg'), 'été.jpg');
});

test('descriptions from the template', () => {
  assert.equal(renderDescription('', { name: 'a.jpg', rel: 'Rome/a.jpg' }), undefined);
  assert.equal(renderDescription('{folder}: {file} ({path})', { name: 'a.jpg', rel: 'Rome/a.jpg' }), 'Rome: a.jpg (Rome/a.jpg)');
  assert.equal(Array.from(renderDescription('x'.repeat(2000), { name: 'a', rel: 'a' }) ?? '').length, 999);
});
