// The setting parsers' problems stay English (the command line prints them) and are translated where
// VS Code shows them: each problem is recognised by its template and handed to l10n.t with its values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parseSyncFolders } from '../../src/sync/config';
import { parseDownloadSettings } from '../../src/sync/download/settings';
import { parseTakeoutSettings } from '../../src/sync/takeout/settings';
import { translateSettingProblem } from '../../src/sync/settingsText';
import type { SyncL10n } from '../../src/sync/l10n';
import { englishL10n } from '../../src/util/englishL10n';

const pretend = {
  t(message: string, ...args: unknown[]): string {
    return `«${message.replace(/\{(\d+)\}/g, (_, i: string) => `⟦${String(args[Number(i)])}⟧`)}»`;
  },
} as unknown as SyncL10n;

const abs = path.resolve('/photos');

test('photoSync.folders problems read exactly as before and each is a known message', () => {
  const { problems } = parseSyncFolders([
    7,
    { path: 'relative' },
    { path: abs, afterUpload: 'archive', destination: ' ', album: 'x', excludeFolders: ['('], upload: 'yes', account: '' },
    { path: abs, album: { mode: 'template' }, account: 42 },
    { path: abs, album: { mode: 'fixed' } },
    { path: abs, album: { mode: 'odd' } },
  ], path.isAbsolute);
  assert.deepEqual(problems, [
    'photoSync.folders[0] must be an object with a "path".',
    'photoSync.folders[1].path must be an absolute folder path.',
    'photoSync.folders[2]: "afterUpload": "archive" needs an absolute "archivePath"; files will be kept in place.',
    'photoSync.folders[2].destination must be the name of a destination, e.g. "google-photos"; using Google Photos.',
    'photoSync.folders[2].album must be an object like {"mode": "subfolders"}; using sub-folder albums.',
    'photoSync.folders[2].excludeFolders: "(" is not a valid regular expression and was ignored.',
    'photoSync.folders[2].upload must be true or false; using the default.',
    'photoSync.folders[2].account is empty; the folder syncs with the default account. Use "Choose Account…" on its row to pick one.',
    'photoSync.folders[3].album.template is missing; using sub-folder albums.',
    'photoSync.folders[3].account must be the name of a signed-in account as the Accounts view shows it (e.g. "you@gmail.com"); the folder is not synced until it names one.',
    'photoSync.folders[4].album.name is missing; using sub-folder albums.',
    'photoSync.folders[5].album.mode "odd" is unknown; using sub-folder albums.',
  ]);
  assert.deepEqual(parseSyncFolders('x', path.isAbsolute).problems, ['photoSync.folders must be a list of folders.']);
  for (const p of [...problems, 'photoSync.folders must be a list of folders.']) {
    const shown = translateSettingProblem(p, pretend);
    assert.match(shown, /^«.*»$/s, `${p} is a known message`);
    assert.equal(shown.slice(1, -1).replace(/[⟦⟧]/g, ''), p, `${p}: the values come through`);
    assert.equal(translateSettingProblem(p, englishL10n), p);
  }
  assert.equal(
    translateSettingProblem('photoSync.folders[2].excludeFolders: "(" is not a valid regular expression and was ignored.', pretend),
    '«⟦photoSync.folders[2].excludeFolders⟧: "⟦(⟧" is not a valid regular expression and was ignored.»',
  );
});

test('download and Takeout setting problems read as before and are known messages', () => {
  const { problems } = parseTakeoutSettings((key) => ({ 'download.layout': '{nope}', 'download.sidecar': 'yaml', 'takeout.writeMetadata': 'always' })[key]);
  assert.equal(problems.length, 3);
  assert.match(problems[0], /^photoSync\.download\.layout: The download layout "\{nope\}" .+ Using ".+"\.$/);
  assert.equal(problems[1], 'photoSync.download.sidecar must be "none", "xmp" or "json"; using "xmp".');
  assert.equal(problems[2], 'photoSync.takeout.writeMetadata must be "missing", "overwrite" or "off"; using "missing".');
  assert.deepEqual(parseDownloadSettings((key) => (key === 'download.sidecar' ? 'yaml' : undefined)).problems, [problems[1]]);
  for (const p of problems) assert.match(translateSettingProblem(p, pretend), /^«.*»$/s, `${p} is a known message`);
  assert.equal(translateSettingProblem('something else', pretend), 'something else');
});
