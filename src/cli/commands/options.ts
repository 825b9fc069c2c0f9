// Options several commands share.
import { InvalidArgumentError, type Command } from 'commander';

export function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 16) throw new InvalidArgumentError('give a whole number from 1 to 16.');
  return n;
}

/** --dry-run and --concurrency, for the commands that upload. */
export function runOptions(command: Command): Command {
  return command
    .option('-n, --dry-run', 'print the plan and its request cost; send nothing and change nothing')
    .option('-c, --concurrency <n>', 'files uploading at the same time, 1–16 (default: the settings, else 4)', parseConcurrency);
}

export interface RunOptions {
  dryRun?: boolean;
  concurrency?: number;
}

export function parseDownloadConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 32) throw new InvalidArgumentError('give a whole number from 1 to 32.');
  return n;
}
