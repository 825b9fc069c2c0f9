// Child process for cli-sync.test.ts: a VS Code window writing the index — takes its lock with a
// write, keeps it (unsaved) for <ms>, then saves and releases.
//   node --import tsx cli-index-holder.ts <storageDir> <ms>
import path from 'node:path';
import { openIndex } from '../../src/index/openIndex';

async function main(): Promise<void> {
  const [storageDir, ms] = process.argv.slice(2);
  const hold = Number(ms);
  const index = await openIndex({ storageDir, wasmDir: path.join(process.cwd(), 'node_modules/sql.js/dist'), lockLabel: 'a VS Code window', saveDebounceMs: hold, maxSaveDelayMs: hold, integrityCheck: 'off' });
  await index.write((w) => w.localFiles.upsert({ path: '/held/by/vscode.jpg', size: 1, mtimeMs: 1, status: 'seen' }));
  process.stdout.write('locked\n');
  await new Promise((r) => setTimeout(r, hold));
  await index.dispose();
}

void main();
