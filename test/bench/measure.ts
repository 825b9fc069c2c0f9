// Shared by the benchmarks: the emulator in its own process (so its copy of the bytes is not counted
// in our memory) and peak-RSS sampling.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Endpoints } from '../../src/google/endpoints';

/** `npm run emulator` in a child process; resolves once it printed its endpoints line. */
export async function startEmulatorProcess(args: string[] = []): Promise<{ endpoints: Endpoints; control: string; stop(): void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/emulator/cli.ts', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  const { endpoints, control } = JSON.parse(firstLine) as { endpoints: Endpoints; control: string };
  return { endpoints, control, stop: () => child.kill('SIGTERM') };
}

/** Peak RSS above the RSS just before `run` (after a GC and a short settle), sampled every 10 ms. */
export async function peakRssDelta(run: () => Promise<unknown>): Promise<number> {
  global.gc?.();
  await new Promise((r) => setTimeout(r, 200));
  const idle = process.memoryUsage().rss;
  let peak = idle;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
  try {
    await run();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage().rss) - idle;
}
