import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parseSyncFolders, serializeSyncFolder } from '../../src/sync/config';
import { accountSettingValue, resolveFolderAccount, shortAccountName } from '../../src/sync/folderAccount';

const ann = { id: '1001', label: 'ann@example.com' };
const ben = { id: '1002', label: 'ben@example.com' };

test('photoSync.folders[].account: a name is kept and written back; absent stays absent', () => {
  const { folders, problems } = parseSyncFolders([{ path: '/p/a', account: ' ben@example.com ' }, { path: '/p/b' }], path.isAbsolute);
  assert.deepEqual(problems, []);
  assert.equal(folders[0].account, 'ben@example.com');
  assert.equal(folders[1].account, undefined);
  assert.equal(serializeSyncFolder(folders[0]).account, 'ben@example.com');
  assert.equal('account' in serializeSyncFolder(folders[1]), false);
});

test('a bad account value is reported; a non-name matches no account, so the folder is not synced rather than synced elsewhere', () => {
  const { folders, problems } = parseSyncFolders([{ path: '/p/a', account: 42 }, { path: '/p/b', account: '  ' }], path.isAbsolute);
  assert.equal(problems.length, 2);
  assert.match(problems[0], /photoSync\.folders\[0\]\.account must be the name of a signed-in account .*not synced until it names one/);
  assert.match(problems[1], /photoSync\.folders\[1\]\.account is empty; the folder syncs with the default account/);
  assert.deepEqual(resolveFolderAccount(folders[0], [ann, ben]), { state: 'signedOut', wanted: '42' });
  assert.equal(folders[1].account, undefined);
});

test('resolveFolderAccount: by label (any case) or id; default = first signed in; a named account signed out is never replaced', () => {
  assert.deepEqual(resolveFolderAccount({ account: 'BEN@example.com' }, [ann, ben]), { state: 'ok', account: ben, chosen: true });
  assert.deepEqual(resolveFolderAccount({ account: '1001' }, [ann, ben]), { state: 'ok', account: ann, chosen: true });
  assert.deepEqual(resolveFolderAccount({}, [ann, ben]), { state: 'ok', account: ann, chosen: false });
  assert.deepEqual(resolveFolderAccount({ account: 'ben@example.com' }, [ann]), { state: 'signedOut', wanted: 'ben@example.com' });
  assert.deepEqual(resolveFolderAccount({}, []), { state: 'none' });
  assert.deepEqual(resolveFolderAccount({ account: 'ann@example.com' }, []), { state: 'signedOut', wanted: 'ann@example.com' });
  assert.equal(accountSettingValue(ben), 'ben@example.com');
  assert.equal(accountSettingValue({ id: '77' }), '77');
});

test('the row shows an email’s name part, whole where two signed-in accounts share it', () => {
  assert.equal(shortAccountName(ben, [ann, ben]), 'ben');
  assert.equal(shortAccountName('ben@example.com', [ann]), 'ben');
  assert.equal(shortAccountName(ben, [ann, ben, { id: '9', label: 'ben@work.example' }]), 'ben@example.com');
  assert.equal(shortAccountName({ id: '77' }, [ann]), '77');
});
