// photo-sync import-takeout <archive…> --to <dir>: the same import as "Import Google Takeout…" in VS
// Code — every part of a Google Takeout export (zip, tgz, or the extracted folder) into
// photos/{yyyy}/{mm} and albums/ below --to, stored once by content, recorded in the index, resumable.
import fs from 'node:fs';
import path from 'node:path';
import { compileLayout, MONTH_LAYOUT } from '../../localfs/layout';
import { RunLeases } from '../../sync/runLease';
import { ImportBusyError, importTakeout } from '../../sync/takeout/pipeline';
import type { TakeoutProgress } from '../../sync/takeout/report';
import { reportLines } from '../../sync/takeout/reportLines';
import type { WriteMetadata } from '../../sync/takeout/settings';
import { formatBytes, formatCount, formatDuration } from '../../util/format';
import { defineCommand } from '../command';
import { CLI_LABEL } from '../context';
import { CliError, EXIT } from '../exit';

interface ImportTakeoutOptions {
  to?: string;
  writeMetadata?: string;
  albumLinks?: boolean;
}

function progressLine(p: TakeoutProgress): string {
  if (p.phase === 'scanning') return `Reading the sidecars of ${p.archives} part${p.archives === 1 ? '' : 's'}…`;
  const eta = p.etaMs !== undefined ? `, about ${formatDuration(p.etaMs)} left` : '';
  return `part ${p.archive}/${p.archives}: ${formatCount(p.files)} of ${formatCount(p.filesTotal)} files, ${formatBytes(p.bytes)} of ${formatBytes(p.bytesTotal)}${eta}`;
}

export default defineCommand<ImportTakeoutOptions>({
  name: 'import-takeout',
  arguments: '<archive...>',
  summary: 'Import a Google Takeout export (zip/tgz parts or the extracted folder) into photos/YYYY/MM and albums/',
  description:
    'Reads every part of a Google Takeout export as one (a photo and its JSON sidecar may be in different parts), matches\n' +
    'sidecars by the naming rules Takeout uses, and stores each photo once by content under photos/{yyyy}/{mm} with its\n' +
    'capture time as modification time, plus links under albums/. Sidecar dates, places and descriptions are written into\n' +
    'JPEG EXIF (XMP sidecars for other formats) where the file has none. Run it again to continue after a stop.',
  configure: (c) =>
    c
      .requiredOption('--to <dir>', 'the folder to import into (must exist)')
      .option('--write-metadata <mode>', 'missing (default), overwrite, or off')
      .option('--no-album-links', 'do not make albums/ links'),
  examples: ['photo-sync import-takeout ~/Downloads/takeout-20240712T112341Z-*.zip --to ~/Photos', 'photo-sync import-takeout ~/Downloads/Takeout --to /mnt/backup/photos --json'],
  async run(cli, [given], options) {
    const { out } = cli;
    const parts = (Array.isArray(given) ? given : [given]).map((p) => path.resolve(String(p)));
    for (const part of parts) if (!fs.existsSync(part)) throw new CliError(EXIT.usage, `${part} does not exist.`);
    const root = path.resolve(String(options.to));
    if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new CliError(EXIT.usage, `${root} is not a folder (create it first; a missing drive is not made anew).`);
    const mode = options.writeMetadata ?? 'missing';
    if (mode !== 'missing' && mode !== 'overwrite' && mode !== 'off') throw new CliError(EXIT.usage, '--write-metadata must be missing, overwrite or off.');
    const index = await cli.index();
    const queue = cli.queue();
    out.event('start', { parts, root, index: index.filePath });
    let lastLine = 0;
    const stopOnInterrupt = cli.interrupt.onInterrupt(() => group?.cancel());
    let group: { cancel(): void } | undefined;
    try {
      const result = await importTakeout({
        parts,
        root,
        settings: { layout: compileLayout(MONTH_LAYOUT), albumLinks: options.albumLinks !== false, writeMetadata: mode as WriteMetadata },
        index,
        queue,
        log: cli.log,
        leases: new RunLeases(path.dirname(index.filePath), { log: cli.log, label: CLI_LABEL }),
        onGroup: (g) => {
          group = g;
          if (cli.interrupt.received) g.cancel();
        },
        onProgress: (p) => {
          out.event('progress', { ...p });
          if (Date.now() - lastLine < 2000 && p.files !== p.filesTotal) return;
          lastLine = Date.now();
          if (!out.json && !out.quiet) process.stderr.write(`${progressLine(p)}\n`);
        },
      });
      out.event('result', { ...result, counts: result.counts });
      for (const line of reportLines(result)) out.notice(line);
      if (result.cancelled) return EXIT.cancelled;
      return result.stopped || result.damaged.length ? EXIT.failed : EXIT.ok;
    } catch (err) {
      if (err instanceof ImportBusyError) throw new CliError(EXIT.failed, err.message);
      throw err;
    } finally {
      stopOnInterrupt.dispose();
    }
  },
});
