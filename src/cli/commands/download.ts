// photo-sync download album <name|id> --to <dir> and photo-sync download year <yyyy> --to <dir>:
// what VS Code's Download Album and Download by Year do — list what the app created (Google lets an
// app download only that), plan against the index and the folder, download into the layout with
// album links, and say how it went. An interrupted run is finished by running it again.
import type { Command } from 'commander';
import type { RemoteContainer } from '../../sync/provider';
import { albumSource, yearSource } from '../../sync/download/source';
import { defineCommand } from '../command';
import type { CliContext } from '../context';
import { downloadFolder, finishDownload, openDownloads, planOrExit, printDownloadPlan, runDownloadPlan, type DownloadServices } from '../download';
import { CliError, EXIT, type ExitCode } from '../exit';
import { errorLine } from '../problems';
import { parseDownloadConcurrency } from './options';

interface DownloadOptions {
  to?: string;
  dryRun?: boolean;
  concurrency?: number;
  all?: boolean;
}

function downloadOptions(command: Command): Command {
  return command
    .requiredOption('-t, --to <dir>', 'the folder to download into (must exist); files go below it by the download layout')
    .option('-n, --dry-run', 'list and print what would be downloaded; download nothing and change nothing')
    .option('-c, --concurrency <n>', 'files downloading at the same time, 1–32 (default: the config, else 6)', parseDownloadConcurrency);
}

export default defineCommand({
  name: 'download',
  summary: 'Download an album or a year of what Photo Sync uploaded into a folder',
  description:
    'Downloads what Photo Sync created in Google Photos (Google lets an app download only what it uploaded; for other ' +
    'photos use photo-sync pick). Files go to photos/{yyyy}/{mm}/{filename} below --to (the config\'s "download.layout"), ' +
    'an album also gets albums/{yyyy}/{mm} {album}/ with links to them. Nothing is overwritten: a taken name gets " (1)". ' +
    'Files already downloaded into the folder are not downloaded again; an interrupted run finishes when run again.',
  configure(command, bind) {
    bind(
      downloadOptions(command.command('album <name-or-id>').description('Download one album (its title, or its id from photo-sync status --json)')).addHelpText(
        'after',
        '\nExamples:\n  $ photo-sync download album "Italy 2024" --to ~/Pictures/Restored\n  $ photo-sync download album "Italy 2024" --to ~/Pictures/Restored --dry-run --json\n',
      ),
      (cli, [name], options) => downloadAlbum(cli, String(name), options as DownloadOptions),
    );
    bind(
      downloadOptions(command.command('year <yyyy>').description('Download the photos and videos taken in a year (newest first)').option('--all', 'check every item of the year, not only those newer than the last complete download')).addHelpText(
        'after',
        '\nExamples:\n  $ photo-sync download year 2019 --to /srv/photos\n  $ photo-sync download year 2019 --to /srv/photos --all --concurrency 8\n',
      ),
      (cli, [year], options) => downloadYear(cli, String(year), options as DownloadOptions),
    );
  },
  examples: [
    'photo-sync download album "Italy 2024" --to ~/Pictures/Restored',
    'photo-sync download album "Italy 2024" --to ~/Pictures/Restored --dry-run',
    'photo-sync download year 2019 --to /srv/photos --concurrency 8',
    'photo-sync download year 2019 --to /srv/photos --all --json',
  ],
});

async function downloadAlbum(cli: CliContext, wanted: string, options: DownloadOptions): Promise<ExitCode> {
  const root = downloadFolder(options.to);
  const s = await openDownloads(cli, { concurrency: options.concurrency });
  const album = await findAlbum(cli, s, wanted);
  const source = albumSource(s.pipeline.provider, album);
  const plan = await planOrExit(cli, s, () => s.pipeline.plan(source, root, cli.settings().download.settings, { signal: cli.interrupt.signal }));
  return run(cli, s, plan, options.dryRun ?? false, `Downloading “${album.title}”`);
}

async function downloadYear(cli: CliContext, given: string, options: DownloadOptions): Promise<ExitCode> {
  const thisYear = new Date().getFullYear();
  const year = Number(given);
  if (!/^\d{4}$/.test(given) || year < 1800 || year > thisYear + 1) throw new CliError(EXIT.usage, `"${given}" is not a year: give four digits from 1800 to ${thisYear + 1}, e.g. photo-sync download year 2019 --to <dir>.`);
  const root = downloadFolder(options.to);
  const s = await openDownloads(cli, { concurrency: options.concurrency });
  const source = yearSource(s.pipeline.provider, year);
  const plan = await planOrExit(cli, s, () => s.pipeline.plan(source, root, cli.settings().download.settings, { signal: cli.interrupt.signal, full: options.all ?? false }));
  if (plan.listed === 0 && plan.downloads.length === 0) {
    cli.out.event('summary', { downloaded: 0, already: 0, listed: 0, root });
    cli.out.info(`Photo Sync created no photos taken in ${year} in ${s.kind.displayName} (Google lets an app list only what it uploaded).`);
    return EXIT.ok;
  }
  return run(cli, s, plan, options.dryRun ?? false, `Downloading ${year}`);
}

async function run(cli: CliContext, s: DownloadServices, plan: Awaited<ReturnType<DownloadServices['pipeline']['plan']>>, dryRun: boolean, title: string): Promise<ExitCode> {
  cli.out.event('start', { command: 'download', source: plan.source.key, title: plan.source.title, root: plan.root, account: s.account.label, dryRun, index: s.index.filePath });
  printDownloadPlan(cli, plan, dryRun);
  if (dryRun) return EXIT.ok;
  const { report, pause } = await runDownloadPlan(cli, s, plan, title);
  return finishDownload(cli, s, report, 'Downloaded', pause);
}

/**
 * The album a name or id means, among the albums the app created — listed again from the service
 * (albums made on another computer with the same OAuth client count too), else as the index knows them.
 */
async function findAlbum(cli: CliContext, s: DownloadServices, wanted: string): Promise<{ id: string; title: string }> {
  const provider = s.pipeline.provider;
  try {
    const found: RemoteContainer[] = [];
    for await (const c of provider.listContainers(cli.interrupt.signal)) found.push(c);
    await s.index.write((w) => {
      for (const c of found) w.albums.upsert({ ...w.albums.get(c.id), id: c.id, accountId: s.account.id, provider: provider.id, title: c.title, appCreated: true, itemCount: c.itemCount });
    });
  } catch (err) {
    if (cli.interrupt.received) throw new CliError(EXIT.cancelled, `Stopped (${cli.interrupt.received}) while listing albums; nothing was downloaded.`);
    cli.out.warn(`Listing your albums in ${provider.displayName} failed (${errorLine(err)}); using the albums the index knows.`);
  }
  const albums = s.index.albums.listWithCounts({ accountId: s.account.id, provider: provider.id, appCreatedOnly: true }, { limit: 10_000 }).items;
  const byId = albums.find((a) => a.id === wanted);
  if (byId) return { id: byId.id, title: byId.title };
  let matches = albums.filter((a) => a.title === wanted);
  if (matches.length === 0) matches = albums.filter((a) => a.title.toLowerCase() === wanted.toLowerCase());
  if (matches.length === 1) return { id: matches[0].id, title: matches[0].title };
  if (matches.length > 1) {
    throw new CliError(EXIT.usage, `${matches.length} albums are called “${wanted}”: name one by its id (${matches.map((a) => a.id).join(', ')}).`);
  }
  const titles = albums.slice(0, 10).map((a) => `“${a.title}”`);
  throw new CliError(
    EXIT.usage,
    albums.length
      ? `No album called “${wanted}” that Photo Sync created in ${provider.displayName}. Its albums: ${titles.join(', ')}${albums.length > 10 ? ` and ${albums.length - 10} more` : ''}. For other photos use: photo-sync pick --to <dir>`
      : `Photo Sync has created no albums in ${provider.displayName} (Google lets an app download only what it uploaded). For other photos use: photo-sync pick --to <dir>`,
  );
}
