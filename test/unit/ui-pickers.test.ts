// The shared "which sync folder?" / "which account?" questions (src/ui/commands/pickers.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { createVsCode } from '../helpers/vscodeFake';
import { pickAccount, pickSyncFolder } from '../../src/ui/commands/pickers';

const ANN = { id: 'sub-ann', label: 'ann@example.com' };
const BEN = { id: 'sub-ben', label: 'ben@example.com' };

test('which account: none or one signed in asks nothing; several ask with the default first; Escape cancels', async () => {
  const fake = createVsCode();
  const vs = fake.vs as unknown as Pick<typeof vscode, 'window' | 'l10n'>;
  assert.deepEqual(await pickAccount(vs, [], 'Download Album'), { account: undefined });
  assert.deepEqual(await pickAccount(vs, [ANN], 'Download Album'), { account: ANN });
  assert.deepEqual(fake.ui.inputs ?? [], [], 'nothing asked');
  fake.answers.push('$(account) ben@example.com');
  assert.deepEqual(await pickAccount(vs, [ANN, BEN], 'Import from Google Photos'), { account: BEN });
  assert.deepEqual(fake.ui.inputs, ['Import from Google Photos']);
  assert.equal(await pickAccount(vs, [ANN, BEN], 'Import from Google Photos'), undefined, 'cancelled');
});

test('which sync folder: none says what to do; several ask by name', async () => {
  const fake = createVsCode();
  const vs = fake.vs as unknown as Pick<typeof vscode, 'window' | 'l10n'>;
  assert.equal(await pickSyncFolder(vs, [], 'Review Before Sync', 'No sync folders yet.'), undefined);
  assert.deepEqual(fake.ui.messages.map((m) => m.text), ['No sync folders yet.']);
  const folders = [
    { path: '/photos/Trip', destination: 'google-photos' },
    { path: '/photos/Home', destination: 'google-photos' },
  ] as never[];
  fake.answers.push('Home');
  assert.equal((await pickSyncFolder(vs, folders, 'Review Before Sync', 'No sync folders yet.'))?.path, '/photos/Home');
});
