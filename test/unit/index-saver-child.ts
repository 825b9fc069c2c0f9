// Child process for index-persistence.test.ts: keeps adding rows and saving until it is killed.
//   node --import tsx index-saver-child.ts <storageDir>
import { open } from './index-helpers';

const BATCH = 2000;

async function main(): Promise<void> {
  const index = await open(process.argv[2], { watch: false, saveDebounceMs: 60_000, maxSaveDelayMs: 60_000 });
  const filler = 'x'.repeat(200);
  for (let round = 0; round < 500; round++) {
    await index.write((w) => {
      for (let i = 0; i < BATCH; i++) {
        w.localFiles.upsert({ path: `/photos/${round}/${i}-${filler}.jpg`, size: i, mtimeMs: round, status: 'seen' });
      }
    });
    await index.flush();
    process.stdout.write(`saved ${(round + 1) * BATCH}\n`);
  }
  await index.dispose();
}

void main();
