// Child process for index-multiwindow.test.ts: one "window" writing rows while another does the same.
//   node --import tsx index-writer-child.ts <storageDir> <name> <rows>
import fs from 'node:fs';
import path from 'node:path';
import type { IndexStore } from '../../src/index/store';
import { open } from './index-helpers';

async function main(): Promise<void> {
  const [dir, name, rowsArg] = process.argv.slice(2);
  const index = await open(dir, { saveDebounceMs: 5, maxSaveDelayMs: 30 });
  // Both windows have the index open before either writes, so each must pick up the other's saves.
  fs.writeFileSync(path.join(dir, `ready-${name}`), '');
  while (fs.readdirSync(dir).filter((n) => n.startsWith('ready-')).length < 2) await new Promise((r) => setTimeout(r, 10));
  const rows = Number(rowsArg);
  for (let i = 0; i < rows; i++) {
    await index.write((w) => {
      w.localFiles.upsert({ path: `/${name}/${i}.jpg`, size: i, mtimeMs: i, status: 'seen' });
      w.quota.add('shared-account', 'google-photos', 'day', 1);
    });
    // Let the other window get the lock now and then, as two real windows would.
    if (i % 10 === 9) await new Promise((r) => setTimeout(r, Math.random() * 15));
  }
  await index.dispose();
  process.stdout.write(JSON.stringify({ reloads: (index as IndexStore).reloads }));
}

void main();
