// Numbers and times follow VS Code's display language where the extension sets it (vscode.env.language
// at activation); without it — the command line, the tests — they stay English, so output is stable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayLanguage, formatBytes, formatCount, formatDateTime, formatTimeOfDay, setDisplayLanguage } from '../../src/util/format';
import { summaryLine, type VerifyReport } from '../../src/sync/verify/types';
import { englishL10n } from '../../src/util/englishL10n';

type FormatModule = { formatCount: typeof formatCount; displayLanguage: typeof displayLanguage };

const nineOhFive = Date.UTC(2026, 0, 2, 9, 5);

test('English by default: 1,234 and 09:05', () => {
  assert.equal(displayLanguage(), 'en-US');
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(formatBytes(5.1 * 1024 ** 3), '5.1 GB');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatTimeOfDay(nineOhFive, 'UTC'), '09:05');
});

test('the display language decides grouping, decimals and the time’s separator; English again when unset', (t) => {
  t.after(() => setDisplayLanguage(undefined));
  setDisplayLanguage('de');
  assert.equal(formatCount(1234567), '1.234.567');
  assert.equal(formatBytes(5.1 * 1024 ** 3), '5,1 GB');
  assert.equal(formatBytes(1023), '1023 B');
  assert.equal(formatTimeOfDay(nineOhFive, 'UTC'), '09:05');
  assert.match(formatDateTime(nineOhFive), /2026/);
  // What shows counts uses it: the Verify result line.
  const report: VerifyReport = { destination: 'Google Photos', accountId: 'a', startedAt: 0, deep: false, folders: [{ path: '/p', available: true, files: 1500, inSync: 1500, unchecked: 0 }], findings: [], requests: 30, estimated: 30, complete: true };
  assert.equal(summaryLine(report, englishL10n), 'In sync: 1.500 items checked on disk, in the index and in Google Photos.');
  setDisplayLanguage('fi');
  assert.equal(formatTimeOfDay(nineOhFive, 'UTC'), '09.05');
  assert.equal(formatCount(1234567).replace(/\s/g, ' '), '1 234 567');
  setDisplayLanguage('pt-br');
  assert.equal(formatCount(1234), '1.234');
  // VS Code's pseudo-locale, or nothing: English.
  setDisplayLanguage('qps-ploc');
  assert.equal(formatCount(1234), '1,234');
  setDisplayLanguage(undefined);
  assert.equal(displayLanguage(), 'en-US');
  assert.equal(formatCount(1234), '1,234');
  assert.equal(formatTimeOfDay(nineOhFive, 'UTC'), '09:05');
});

test('a second copy of the module (dist/commands.js bundles its own) writes in the language activation set', (t) => {
  t.after(() => setDisplayLanguage(undefined));
  const file = require.resolve('../../src/util/format');
  const first = require.cache[file];
  delete require.cache[file];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy, as a second bundle has
  const copy = require('../../src/util/format') as FormatModule;
  if (first) require.cache[file] = first;
  assert.notEqual(copy.formatCount, formatCount, 'a separate copy');
  assert.equal(copy.formatCount(1234), '1,234');
  setDisplayLanguage('de');
  assert.equal(copy.formatCount(1234), '1.234');
  assert.equal(copy.displayLanguage(), 'de');
});
