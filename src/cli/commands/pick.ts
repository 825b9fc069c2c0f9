// photo-sync pick --to <dir>: VS Code's Import from Google Photos from a terminal. A Picker session is
// created, its address printed (and opened where a browser is), the command waits at the session's own
// pace while the user picks in Google Photos and presses Done, then downloads what was picked into the
// folder and deletes the session. A pick an earlier run left unfinished (killed, disk full) is
// finished first; Ctrl-C while waiting ends the session.
import type { QueuePause } from '../../tasks/api';
import { isAbortError } from '../../tasks/outcome';
import { canOpenBrowser, openBrowser } from '../browser';
import { defineCommand } from '../command';
import { downloadFolder, finishDownload, follow, openDownloads } from '../download';
import { CliError, EXIT, exitCodeOfAuth, worseExit, type ExitCode } from '../exit';
import { errorLine, problemLine } from '../problems';
import { parseDownloadConcurrency } from './options';

interface PickOptions {
  to?: string;
  browser?: boolean;
  concurrency?: number;
  max?: number;
}

export default defineCommand<PickOptions>({
  name: 'pick',
  summary: 'Pick photos in Google Photos (prints the address, waits) and download them into a folder',
  description:
    'Prints the address of a Google Photos picking page (and opens it in a browser where there is one). Pick photos ' +
    'and videos there — any in your library, not only those Photo Sync uploaded — and press Done; photo-sync then ' +
    'downloads them below --to by the download layout (photos/{yyyy}/{mm}/{filename}) and ends the session. Google ' +
    'sends photos without their location data. The first pick asks Google for one more permission (printed the same way).',
  configure: (c) =>
    c
      .requiredOption('-t, --to <dir>', 'the folder to download into (must exist)')
      .option('--no-browser', 'only print the address (open it on any device signed in to your Google account)')
      .option('--max <n>', 'most items to pick, 1–2000 (default: the config\'s "picker.maxItemCount", else 2000)', (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 2000) throw new CliError(EXIT.usage, `--max ${v}: give a whole number from 1 to 2000.`);
        return n;
      })
      .option('-c, --concurrency <n>', 'files downloading at the same time, 1–32 (default: the config, else 6)', parseDownloadConcurrency),
  examples: ['photo-sync pick --to ~/Pictures/FromGoogle', 'photo-sync pick --to /srv/photos --no-browser   # on a server: open the address on your phone', 'photo-sync pick --to . --max 50 --json'],
  async run(cli, _args, options) {
    const { out } = cli;
    const root = downloadFolder(options.to);
    const s = await openDownloads(cli, { concurrency: options.concurrency, picker: true, noBrowser: options.browser === false });
    const settings = cli.settings().download.settings;
    let code: ExitCode = EXIT.ok;
    let pause: { value?: QueuePause } = {};

    // What an earlier pick left (killed mid-download, a full disk): finished, then its session deleted.
    const leftovers = await s.picker.finishLeftovers(settings, { onGroup: (g) => follow(cli, s, g, pause) });
    for (const { report } of leftovers.finished) {
      out.info('Finishing an import an earlier run left unfinished:');
      code = worseExit(code, finishDownload(cli, s, report, 'Imported', pause.value));
    }
    if (code === EXIT.cancelled || code === EXIT.signIn || code === EXIT.quota) return code;

    out.event('start', { command: 'pick', root, account: s.account.label, index: s.index.filePath });
    pause = {};
    let result;
    try {
      result = await s.picker.import({
        folder: root,
        settings,
        maxItemCount: options.max ?? cli.settings().maxPickerItems,
        signal: cli.interrupt.signal,
        onSession: (info) => {
          const browser = options.browser !== false && canOpenBrowser();
          out.event('picker-url', { url: info.pickUrl, sessionId: info.id, expiresAt: info.expiresAt ? new Date(info.expiresAt).toISOString() : null });
          out.notice(`Open this address in a browser signed in to your Google account, pick photos and videos, then press Done:\n\n  ${info.pickUrl}\n`);
          if (browser) openBrowser(info.pickUrl);
          out.notice('Waiting for you to pick … (Ctrl-C gives up)');
        },
        onPicked: (n) => {
          out.event('picked', { count: n });
          out.info(n ? `${n.toLocaleString('en-US')} item${n === 1 ? '' : 's'} picked; downloading into ${root}.` : 'Nothing was picked.');
        },
        onGroup: (g) => follow(cli, s, g, pause),
      });
    } catch (err) {
      s.display.stop();
      if (cli.interrupt.received || isAbortError(err)) throw new CliError(EXIT.cancelled, `Stopped (${cli.interrupt.received ?? 'cancelled'}); the picking session was ended. Run photo-sync pick again to pick anew.`);
      const failure = s.authFailure() ?? err;
      const auth = exitCodeOfAuth(failure);
      if (auth !== undefined) throw new CliError(auth, problemLine(failure) ?? errorLine(failure));
      throw err;
    }
    switch (result.kind) {
      case 'imported':
        return worseExit(code, finishDownload(cli, s, result.report, 'Imported', pause.value));
      case 'nothing-picked':
        out.event('summary', { downloaded: 0, picked: 0, root });
        out.info('Nothing was picked in Google Photos, so nothing was imported.');
        return code;
      case 'expired':
        out.error(result.message.replace('Run Import from Google Photos again', 'Run photo-sync pick again'), EXIT.failed);
        return worseExit(code, EXIT.failed);
      default:
        throw new CliError(EXIT.cancelled, 'Stopped; the picking session was ended. Run photo-sync pick again to pick anew.');
    }
  },
});
