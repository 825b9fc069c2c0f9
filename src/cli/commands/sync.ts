// photo-sync sync [folder…]: the configured sync folders (or the ones named) to their destinations —
// what Sync Now does in VS Code, plus resuming what an earlier run or a closed window left unfinished.
import fs from 'node:fs';
import path from 'node:path';
import { defineCommand } from '../command';
import type { CliContext } from '../context';
import { CliError, EXIT } from '../exit';
import { runFolders } from '../run';
import { runOptions, type RunOptions } from './options';

export default defineCommand<RunOptions>({
  name: 'sync',
  arguments: '[folder...]',
  summary: 'Back up the sync folders (all of them, or the ones named)',
  description:
    'Scans the sync folders, uploads what is new or changed into their albums (each content once), and finishes what an\n' +
    'earlier run left unfinished. While a VS Code window or another photo-sync syncs the same folders, it waits and says who.',
  configure: runOptions,
  examples: ['photo-sync sync', 'photo-sync sync --dry-run', 'photo-sync sync ~/Pictures/Camera --concurrency 2', 'photo-sync --vscode-settings sync --json', '0 3 * * * photo-sync sync --quiet   # crontab: every night at 3'],
  async run(cli, [named], options) {
    const settings = cli.settings();
    const names = (named as string[] | undefined) ?? [];
    const folders = names.length ? names.map((n) => configuredFolder(cli, n)) : settings.folders;
    if (folders.length === 0) {
      throw new CliError(EXIT.usage, `No sync folders in ${settings.source}. Add them under "folders" (see photo-sync --help), use --vscode-settings, or upload a folder once with: photo-sync upload <folder>`);
    }
    return runFolders(cli, {
      folders,
      dryRun: options.dryRun ?? false,
      resumeUnfinished: names.length === 0,
      concurrency: options.concurrency,
      title: (destination) => `Syncing folders to ${destination}`,
    });
  },
});

function configuredFolder(cli: CliContext, given: string) {
  const wanted = path.resolve(given);
  const stat = fs.statSync(wanted, { throwIfNoEntry: false });
  if (!stat) throw new CliError(EXIT.usage, `${wanted} does not exist.`);
  if (!stat.isDirectory()) throw new CliError(EXIT.usage, `${wanted} is not a folder.`);
  const settings = cli.settings();
  const folder = settings.folders.find((f) => path.resolve(f.path) === wanted);
  if (!folder) throw new CliError(EXIT.usage, `${wanted} is not a sync folder in ${settings.source}. Add it there, or upload it once with: photo-sync upload ${given}`);
  return folder;
}
