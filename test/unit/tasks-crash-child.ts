// Child for tasks-resume.test.ts: runs some work to completion, leaves some in flight, says "ready"
// once the index is saved, and waits to be killed.
//   node --import tsx tasks-crash-child.ts <storageDir> <remoteLog> <startMs>
import { createIndexJournal, ManualClock, TaskQueue } from '../../src/tasks/api';
import { commitTask, uploadTask, type Calls } from './tasks-crash-tasks';
import { open } from './index-helpers';

async function main(): Promise<void> {
  const [dir, remoteLog, startMs] = process.argv.slice(2);
  const clock = new ManualClock(Number(startMs));
  const index = await open(dir, { watch: false, now: () => clock.now() });
  const queue = new TaskQueue({ clock, journal: createIndexJournal(index), concurrency: { upload: 4 } });
  const calls: Calls = { uploaded: [], reusedToken: [] };

  // Finished before the crash: two uploads and their commit.
  const done = queue.group('Back up A', 'Uploading');
  done.add(uploadTask(index, 'a1', calls));
  done.add(uploadTask(index, 'a2', calls));
  done.add(commitTask(index, 'bA', ['a1', 'a2'], remoteLog));
  await done.finished;

  // In flight at the crash: b1's token is from yesterday, b2's from now, b3 never sent its bytes;
  // bC committed on the server but died before the journal heard of it.
  const open1 = queue.group('Back up B', 'Uploading');
  open1.add(uploadTask(index, 'b1', calls, 'afterToken'));
  await waitFor(() => index.uploads.get('b1')?.receipt !== undefined);
  await clock.advance(25 * 60 * 60 * 1000);
  open1.add(uploadTask(index, 'b2', calls, 'afterToken'));
  open1.add(uploadTask(index, 'b3', calls, 'beforeBytes'));
  open1.add(commitTask(index, 'bB', ['b1', 'b2', 'b3'], remoteLog));
  await waitFor(() => index.uploads.get('b2')?.receipt !== undefined);
  open1.add(uploadTask(index, 'c1', calls));
  open1.add(commitTask(index, 'bC', ['c1'], remoteLog, 'afterCommit'));
  await waitFor(() => index.uploads.get('c1')?.state === 'committed');
  await new Promise((r) => setTimeout(r, 50));
  await index.flush();
  process.stdout.write('ready\n');
  await new Promise(() => undefined);
}

async function waitFor(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 5));
}

void main();
