// The reasons the scanner stores stay English in the index (stable for code that compares them) and
// are translated where they are shown: a stored reason is recognised by its template and handed to
// l10n.t with its values. A pretend translation ("«…»" around the template, values filled in) shows
// which template was used and that the values came through.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { damageReason, jpegProblem, pngProblem } from '../../src/sync/damage';
import { describeFsError, scanFolder } from '../../src/sync/scan';
import { parseSyncFolders } from '../../src/sync/config';
import { flickrRules } from '../../src/destinations/flickr/rules';
import { loadMediaTypes } from '../../src/metadata/mediaTypes';
import { REASON_EMPTY, REASON_HIDDEN, translateReason } from '../../src/sync/reasonText';
import type { SyncL10n } from '../../src/sync/l10n';
import { photosRules, tempDir, writeTree } from './sync-fixtures';

const asked: string[] = [];
const pretend = {
  t(message: string, ...args: unknown[]): string {
    asked.push(message);
    return `«${message.replace(/\{(\d+)\}/g, (_, i: string) => `[${String(args[Number(i)])}]`)}»`;
  },
} as unknown as SyncL10n;

test('the scanner’s reasons are stored in English, exactly as before, and shown through their template', async () => {
  const root = await tempDir('reasons-');
  await writeTree(root, { '.secret.jpg': Buffer.from([1]), 'empty.jpg': Buffer.alloc(0), 'notes.txt': Buffer.from('x'), 'Thumbs/x.jpg': Buffer.from([1]) });
  const [folder] = parseSyncFolders([{ path: root, exclude: ['Thumbs/**'] }], path.isAbsolute).folders;
  const scan = await scanFolder(folder, { rules: await photosRules() });
  const reasons = Object.fromEntries(scan.files.map((f) => [f.rel, f.reason]));
  assert.equal(reasons['.secret.jpg'], 'a hidden file');
  assert.equal(reasons['empty.jpg'], 'the file is empty (0 bytes)');
  assert.equal(reasons['notes.txt'], 'not a photo or video type Google Photos accepts');
  assert.equal(reasons['Thumbs/x.jpg'], 'matched by an exclude pattern');
  for (const stored of Object.values(reasons)) {
    assert.equal(translateReason(stored as string, pretend), `«${stored}»`, `${stored} is a known message`);
  }
  assert.equal(REASON_HIDDEN, reasons['.secret.jpg']);
  assert.equal(REASON_EMPTY, reasons['empty.jpg']);
});

test('reasons with values: the template goes to l10n.t and the values are filled into the translation', async () => {
  const photo = (await photosRules()).tooLargeReason({ kind: 'photo', mimeType: 'image/jpeg', limitBytes: 1 });
  assert.equal(photo, "larger than Google Photos' 200 MB limit for photos");
  assert.equal(translateReason(photo, pretend), "«larger than Google Photos' [200 MB] limit for photos»");
  const video = flickrRules(await loadMediaTypes()).tooLargeReason({ kind: 'video', mimeType: 'video/mp4', limitBytes: 1 });
  assert.equal(video, "larger than Flickr's 1 GB limit for videos");
  assert.equal(translateReason(video, pretend), "«larger than Flickr's [1 GB] limit for videos»");
  // An exact message wins over the general one it also fits ("cannot be read: {0}").
  assert.equal(translateReason(describeFsError(Object.assign(new Error('x'), { code: 'EACCES' })), pretend), '«cannot be read: permission denied»');
  assert.equal(translateReason(describeFsError(Object.assign(new Error('x'), { code: 'EMFILE' })), pretend), '«cannot be read: [EMFILE]»');
});

test('damage reasons keep their stored "damaged: " prefix; shown with a translated label, or without it where the row says damaged', async () => {
  const cut = jpegProblem(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]));
  assert.match(cut ?? '', /^damaged: /);
  assert.equal(translateReason(cut as string, pretend), `«damaged: [«${(cut as string).slice('damaged: '.length)}»]»`);
  assert.equal(translateReason(cut as string, pretend, { withoutDamagedPrefix: true }), `«${(cut as string).slice('damaged: '.length)}»`);
  const png = pngProblem(new Uint8Array([1, 2, 3]));
  assert.equal(png, 'damaged: the PNG signature is wrong');
  const root = await tempDir('reasons-');
  await fs.writeFile(path.join(root, 'fake.gif'), 'not a gif at all');
  const notGif = await damageReason(path.join(root, 'fake.gif'), 'image/gif');
  assert.equal(notGif, 'damaged: its bytes are not a GIF (nor another image or video format) — the file may be cut off or overwritten');
  assert.equal(translateReason(notGif as string, pretend, { withoutDamagedPrefix: true }), '«its bytes are not a [GIF] (nor another image or video format) — the file may be cut off or overwritten»');
});

test('a reason no template knows (an older text, a service’s own message) is shown as it is', () => {
  asked.length = 0;
  assert.equal(translateReason('Google said: quota exceeded', pretend), 'Google said: quota exceeded');
  assert.deepEqual(asked, []);
});
