import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { FALLBACK_NAME, fitName, isSafeName, safeFileName, safeFolderName, splitExtension, utf8Bytes } from '../../src/localfs/safeName';
import { tempDir } from './localfs-mounts';

test('path tricks become plain names: dots, absolute paths, drive letters, separators', () => {
  assert.equal(safeFileName('..'), FALLBACK_NAME);
  assert.equal(safeFileName('.'), FALLBACK_NAME);
  assert.equal(safeFileName('...'), FALLBACK_NAME);
  assert.equal(safeFileName('/etc/passwd'), '_etc_passwd');
  assert.equal(safeFileName('../../.ssh/authorized_keys'), '_.._.ssh_authorized_keys');
  assert.equal(safeFileName('..\\..\\boot.ini'), '_.._boot.ini');
  assert.equal(safeFileName('C:'), 'C_');
  assert.equal(safeFileName('C:\\Windows\\win.ini'), 'C__Windows_win.ini');
  assert.equal(safeFileName('\\\\server\\share\\a.jpg'), '__server_share_a.jpg');
  assert.equal(safeFileName('a/b.jpg'), 'a_b.jpg');
  assert.equal(safeFileName('photo.jpg:Zone.Identifier'), 'photo.jpg_Zone.Identifier');
});

test('reserved Windows device names, any case, with or without extension, get an underscore', () => {
  for (const device of ['CON', 'PRN', 'AUX', 'NUL', 'COM1', 'COM9', 'LPT1', 'LPT9', 'con', 'Nul', 'cOm3', 'COM¹', 'CONIN$']) {
    assert.equal(safeFileName(device), `${device}_`, device);
    assert.equal(safeFileName(`${device}.jpg`), `${device}_.jpg`, `${device}.jpg`);
  }
  assert.equal(safeFileName('nul.tar.gz'), 'nul_.tar.gz');
  assert.equal(safeFileName('COM1 .txt'), 'COM1_.txt', 'Windows ignores spaces before the dot');
  // Names that only start like a device are fine.
  for (const fine of ['CONSOLE.jpg', 'COM10.jpg', 'AUXILIARY', 'CON-2024.jpg', 'LPT.jpg']) assert.equal(safeFileName(fine), fine);
  assert.equal(safeFolderName('AUX'), 'AUX_');
});

test('control characters, bidi overrides and characters Windows forbids are replaced', () => {
  assert.equal(safeFileName('a\u0000b\tc\nd\u001f\u007f\u0085.jpg'), 'a_b_c_d___.jpg');
  assert.equal(safeFileName('a<b>c:d"e|f?g*h.jpg'), 'a_b_c_d_e_f_g_h.jpg');
  // U+202E would show "photo\u202Egpj.exe" as "photoexe.jpg".
  assert.equal(safeFileName('photo\u202egpj.exe'), 'photo_gpj.exe');
  assert.equal(safeFileName('line\u2028break.jpg'), 'line_break.jpg');
  // Half a surrogate pair cannot be written in UTF-8.
  assert.equal(safeFileName('\ud83dx.jpg'), '_x.jpg');
  // Emoji with joiners survive.
  assert.equal(safeFileName('👩‍👩‍👧 family.jpg'), '👩‍👩‍👧 family.jpg');
});

test('whitespace and dots at the ends are removed; leading dots too (no hidden files)', () => {
  assert.equal(safeFileName('  IMG_1.jpg  '), 'IMG_1.jpg');
  assert.equal(safeFileName('\u3000IMG_1.jpg\u00a0'), 'IMG_1.jpg');
  assert.equal(safeFileName('IMG_1.jpg. . .'), 'IMG_1.jpg');
  assert.equal(safeFileName('.hidden.jpg'), 'hidden.jpg');
  assert.equal(safeFileName('.photosync-123-0123456789ab.part'), 'photosync-123-0123456789ab.part');
  assert.equal(safeFolderName('Trip. '), 'Trip');
});

test('nothing usable left: the fallback name', () => {
  for (const empty of ['', '   ', ' . ', '\t .', '..']) assert.equal(safeFileName(empty), FALLBACK_NAME, JSON.stringify(empty));
  assert.equal(safeFileName('', { fallback: 'AF1QipN.jpg' }), 'AF1QipN.jpg');
  assert.equal(safeFolderName('  ', { fallback: 'Untitled album' }), 'Untitled album');
  assert.equal(safeFileName('\u0000'), '_', 'a replaced character is something');
});

test('NFC: a macOS-style decomposed name becomes the composed one', () => {
  const decomposed = 'Cafe\u0301 cre\u0300me.jpg';
  assert.equal(safeFileName(decomposed), 'Café crème.jpg');
  assert.equal(safeFileName(decomposed), safeFileName(decomposed.normalize('NFC')));
});

test('long names: at most 255 UTF-8 bytes, extension kept, no character or grapheme split', () => {
  const ascii = safeFileName(`${'a'.repeat(300)}.jpeg`);
  assert.equal(utf8Bytes(ascii), 255);
  assert.ok(ascii.endsWith('a.jpeg'));

  // 4-byte characters: 62 × 4 + ".jpeg" = 253; a 63rd would need 257.
  const emoji = safeFileName(`${'😀'.repeat(100)}.jpeg`);
  assert.equal(emoji, `${'😀'.repeat(62)}.jpeg`);
  assert.equal(Buffer.from(emoji).toString(), emoji, 'no broken surrogate pair');

  // 3-byte characters: 83 × 3 + 4 = 253.
  const japanese = safeFileName(`${'写'.repeat(200)}.JPG`);
  assert.equal(japanese, `${'写'.repeat(83)}.JPG`);

  // e + combining accent (not NFC-composable with a following letter): never cut between the two.
  const combining = safeFileName(`${'q\u0301'.repeat(100)}.jpg`);
  assert.ok(utf8Bytes(combining) <= 255);
  assert.ok(!/q\.jpg$/.test(combining), 'the accent stays with its letter');

  // A family emoji is one grapheme of 18 bytes: kept whole or dropped whole.
  const family = safeFileName(`${'a'.repeat(240)}👩‍👩‍👧.jpg`);
  assert.equal(family, `${'a'.repeat(240)}.jpg`);

  // A folder name has no extension to keep.
  const folder = safeFolderName(`Trip to St. Petersburg ${'x'.repeat(300)}`);
  assert.equal(utf8Bytes(folder), 255);
  assert.ok(folder.startsWith('Trip to St. Petersburg x'));
  assert.ok(utf8Bytes(safeFileName('a'.repeat(300))) === 255);
});

test('names at the limit really can be created, one byte more cannot (ext4 and tmpfs)', (t) => {
  const dir = tempDir(t);
  const name = safeFileName(`${'写'.repeat(200)}.jpg`);
  fs.writeFileSync(path.join(dir, name), 'x');
  assert.deepEqual(fs.readdirSync(dir), [name]);
  assert.throws(() => fs.writeFileSync(path.join(dir, `${'a'.repeat(256)}`), 'x'), { code: 'ENAMETOOLONG' });
});

test('helpers: extension split, fitName, isSafeName', () => {
  assert.deepEqual(splitExtension('IMG_1.jpeg'), { stem: 'IMG_1', ext: '.jpeg' });
  assert.deepEqual(splitExtension('archive.tar.gz'), { stem: 'archive.tar', ext: '.gz' });
  assert.deepEqual(splitExtension('README'), { stem: 'README', ext: '' });
  assert.deepEqual(splitExtension('My trip. Best one'), { stem: 'My trip. Best one', ext: '' });
  assert.equal(fitName('abc def', '.jpg', 7), 'abc.jpg', 'a trailing space exposed by the cut goes');
  assert.equal(isSafeName('IMG_1.jpg'), true);
  for (const unsafe of ['', '..', 'a/b', 'CON.jpg', ' a', 'a.', '.x', 'a'.repeat(256)]) assert.equal(isSafeName(unsafe), false, unsafe);
  assert.equal(isSafeName('unnamed'), true);
});

test('the sanitised name is stable (sanitising twice changes nothing)', () => {
  const hostile = ['..', '/x/../y', 'CON.jpg', ' a. ', 'a\u0000b', `${'😀'.repeat(100)}.jpg`, 'C:\\x', 'e\u0301.jpg', '\ud800'];
  for (const raw of hostile) {
    const once = safeFileName(raw);
    assert.equal(safeFileName(once), once, JSON.stringify(raw));
    assert.equal(isSafeName(once), true, JSON.stringify(raw));
  }
});
