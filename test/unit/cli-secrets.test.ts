// Where the command line keeps secrets: a 0600 file when no OS keychain answers (no Secret Service
// here: the kernel keyring the binding would fall back to forgets everything at a reboot), written
// atomically, narrowed back to 0600 if someone widened it, and a clear error for --secrets keychain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError } from '../../src/cli/exit';
import { openSecretStore, SECRETS_FILE } from '../../src/cli/secrets';

const noSecretService = () => {
  const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
  delete process.env.DBUS_SESSION_BUS_ADDRESS;
  return () => {
    if (saved !== undefined) process.env.DBUS_SESSION_BUS_ADDRESS = saved;
  };
};

test('auto without a keychain service: a 0600 file in a 0700 folder, replaced atomically; the reason is kept', async () => {
  const restore = noSecretService();
  try {
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'photo-sync-secrets-')), 'photo-sync');
    const store = await openSecretStore('auto', dir);
    assert.equal(store.backend, 'file');
    assert.match(store.keychainProblem ?? '', /DBus|dbus|Secret|secret|platform/i);
    assert.equal(await store.get('a'), undefined);
    await store.store('a', 'one');
    await store.store('b', 'two');
    const file = path.join(dir, SECRETS_FILE);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { a: 'one', b: 'two' });
    assert.deepEqual(readdirSync(dir), [SECRETS_FILE], 'no temp file left');
    chmodSync(file, 0o644);
    assert.equal(await (await openSecretStore('auto', dir)).get('b'), 'two');
    assert.equal(statSync(file).mode & 0o777, 0o600, 'narrowed again');
    await store.delete('a');
    await store.delete('b');
    assert.deepEqual(readdirSync(dir), [], 'the file goes with the last secret');
    const explicit = await openSecretStore('file', dir);
    assert.equal(explicit.backend, 'file');
    assert.equal(explicit.keychainProblem, undefined);
    await assert.rejects(openSecretStore('keychain', dir), (e) => e instanceof CliError && e.code === 2 && /OS keychain is not available here .*--secrets file/.test(e.message));
    writeFileSync(file, 'not json');
    await assert.rejects((await openSecretStore('file', dir)).get('a'), /is damaged/);
  } finally {
    restore();
  }
});
