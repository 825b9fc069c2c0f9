// `pick` and `download` on the command line: the signed-in account's download pipeline and Picker flow
// (the same modules VS Code's Import from Google Photos, Download Album and Download by Year use), a
// plan printed before a run, the queue's progress on the terminal, the report in the sentences VS Code
// shows, and an exit code. Ctrl-C, the daily quota and a refused sign-in stop the run cleanly; the
// download rows let the next run (or VS Code's next start) finish it.
import fs from 'node:fs';
import path from 'node:path';
import { destinationKind, type DestinationKind } from '../destinations/factory';
import type { GooglePhotosProvider } from '../destinations/googlePhotos/provider';
import { pickingServiceFor } from '../destinations/googlePhotos/picker';
import { PROVIDER_ID } from '../destinations/googlePhotos/rules';
import { PICKER_SCOPES } from '../google/scopes';
import type { TokenSource } from '../google/tokenSource';
import type { PhotoIndex } from '../index/api';
import { DownloadPipeline, type DownloadPlan, type DownloadReport } from '../sync/download/pipeline';
import { QuotaSpentError } from '../sync/download/plan';
import { PickerFlow } from '../sync/picker/flow';
import { RunLeases } from '../sync/runLease';
import type { QueuePause, TaskGroup, TaskQueue } from '../tasks/api';
import { describeDownload } from '../sync/download/reportText';
import { formatCount, formatTimeOfDay } from '../util/format';
import { terminalSignIn, type CliAccount } from './auth';
import { CLI_LABEL, type CliContext } from './context';
import { CliError, EXIT, exitCodeOfAuth, type ExitCode } from './exit';
import { errorLine, problemLine } from './problems';
import { ProgressDisplay } from './progress';
import { keychainHint } from './secrets';
import { englishL10n } from '../util/englishL10n';

export interface DownloadServices {
  kind: DestinationKind;
  account: CliAccount;
  index: PhotoIndex;
  pipeline: DownloadPipeline;
  picker: PickerFlow;
  queue: TaskQueue;
  display: ProgressDisplay;
  /** The sign-in failure that stopped the run, if one did. */
  authFailure(): unknown;
  /** Stops the running group (a refused sign-in calls it). */
  stops: Set<() => void>;
}

export interface OpenOptions {
  /** --concurrency: files downloading at once. */
  concurrency?: number;
  /** The Picker scope is needed: asked for (incremental consent, printed like login) when the sign-in lacks it. */
  picker?: boolean;
  /** --no-browser for that consent. */
  noBrowser?: boolean;
}

/** The folder given with --to: it must exist and be a folder (an unmounted drive must not be filled). */
export function downloadFolder(given: unknown): string {
  if (typeof given !== 'string' || !given.trim()) throw new CliError(EXIT.usage, 'Name the folder to download into with --to <dir>.');
  const folder = path.resolve(given);
  const stat = fs.statSync(folder, { throwIfNoEntry: false });
  if (!stat) throw new CliError(EXIT.usage, `${folder} does not exist (is its drive mounted?). Create it first (mkdir -p ${JSON.stringify(folder)}) or name another folder with --to.`);
  if (!stat.isDirectory()) throw new CliError(EXIT.usage, `${folder} is not a folder. Name a folder with --to.`);
  return folder;
}

export async function openDownloads(cli: CliContext, options: OpenOptions = {}): Promise<DownloadServices> {
  const kind = destinationKind(PROVIDER_ID);
  if (!kind) throw new Error('Google Photos is not a known destination.');
  for (const problem of cli.settings().download.problems) cli.out.warn(problem);
  const auth = await cli.auth(options.picker ? terminalSignIn({ out: cli.out, log: cli.log, interrupt: cli.interrupt, noBrowser: options.noBrowser ?? false }) : undefined);
  if (!(await auth.clientStore.get())) throw new CliError(EXIT.usage, `No Google OAuth client is set up for the command line. Run: photo-sync setup-client <client_secret.json> (the file of a "Desktop app" client from the Google Cloud console).${keychainHint(auth.secrets)}`);
  let account = auth.account(cli.options.account);
  if (!account) {
    const known = auth.accounts().map((a) => a.label);
    throw new CliError(EXIT.signIn, cli.options.account && known.length ? `${cli.options.account} is not signed in (signed in: ${known.join(', ')}). Run: photo-sync login` : `Not signed in to Google Photos. Run: photo-sync login${keychainHint(auth.secrets)}`);
  }
  if (options.picker && !PICKER_SCOPES.every((s) => account?.scopes.includes(s))) {
    cli.out.notice('Importing picked photos needs one more permission from Google: to see the photos and videos you pick (and only those).');
    try {
      await auth.provider.createSession(PICKER_SCOPES, { account: { id: account.id, label: account.label } });
    } catch (err) {
      throw new CliError(exitCodeOfAuth(err) ?? EXIT.failed, errorLine(err));
    }
    account = auth.account(account.id) ?? account;
  }
  const index = await cli.index();
  let failure: unknown;
  const stops = new Set<() => void>();
  const tokens: TokenSource = auth.tokenSource(account, (err) => {
    const code = exitCodeOfAuth(err);
    if (failure !== undefined || (code !== EXIT.signIn && code !== EXIT.usage)) return;
    failure = err;
    for (const stop of stops) stop();
  });
  const quota = cli.quota(kind, account.id, index);
  const { provider } = await cli.destination(kind, account.id, tokens, quota);
  const queue = cli.queue();
  const downloads = options.concurrency ?? cli.settings().downloads;
  if (downloads) queue.setConcurrency({ download: downloads });
  const leases = new RunLeases(path.dirname(index.filePath), { log: cli.log, label: CLI_LABEL });
  const pipeline = new DownloadPipeline({ provider, index, queue, accountId: account.id, log: cli.log, leases });
  const picker = new PickerFlow({ service: pickingServiceFor(provider as GooglePhotosProvider, cli.settings().endpoints.picker), pipeline, index, accountId: account.id, log: cli.log, leases });
  // A token now, so a revoked or expired sign-in stops before anything is listed.
  try {
    await tokens.getAccessToken(options.picker ? [...kind.scopes, ...PICKER_SCOPES] : kind.scopes, cli.interrupt.signal);
  } catch (err) {
    throw new CliError(exitCodeOfAuth(failure ?? err) ?? EXIT.failed, problemLine(failure ?? err) ?? errorLine(failure ?? err));
  }
  return { kind, account, index, pipeline, picker, queue, display: new ProgressDisplay(cli.out), authFailure: () => failure, stops };
}

/** Lists the source and plans; a spent quota and a refused sign-in become their exit codes. */
export async function planOrExit(cli: CliContext, s: DownloadServices, make: () => Promise<DownloadPlan>): Promise<DownloadPlan> {
  try {
    return await make();
  } catch (err) {
    s.display.stop();
    if (cli.interrupt.received) throw new CliError(EXIT.cancelled, `Stopped (${cli.interrupt.received}) while listing; nothing was downloaded.`);
    if (err instanceof QuotaSpentError) throw new CliError(EXIT.quota, `Stopped by ${s.kind.displayName}' ${err.label}: listing goes on after ${s.kind.quota.resetText} (${formatTimeOfDay(err.until)} here).`);
    const auth = exitCodeOfAuth(s.authFailure() ?? err);
    if (auth !== undefined) throw new CliError(auth, problemLine(s.authFailure() ?? err) ?? errorLine(s.authFailure() ?? err));
    throw err;
  }
}

/** The plan before a run (every file with --dry-run, and with --json as a 'plan' event). */
export function printDownloadPlan(cli: CliContext, plan: DownloadPlan, dryRun: boolean): void {
  const { out } = cli;
  const n = plan.downloads.length;
  out.event('plan', {
    dryRun,
    source: { kind: plan.source.kind, key: plan.source.key, title: plan.source.title },
    root: plan.root,
    listed: plan.listed,
    downloads: n,
    already: plan.already,
    notReady: plan.notReady.length + plan.unavailable.length,
    stoppedAt: plan.stoppedAt ?? null,
    files: dryRun ? plan.downloads.map((d) => ({ id: d.item.id, filename: d.item.filename, target: d.target })) : undefined,
  });
  for (const w of plan.warnings) out.warn(w);
  const parts = [
    `${dryRun ? 'Dry run — nothing is downloaded and nothing is changed. ' : ''}${n ? `Download ${formatCount(n)} item${n === 1 ? '' : 's'}` : 'Nothing to download'} from “${plan.source.title}” into ${plan.root}.`,
  ];
  if (plan.already) parts.push(`${formatCount(plan.already)} already there (not downloaded again).`);
  if (plan.notReady.length) parts.push(`${formatCount(plan.notReady.length)} still being processed by Google (downloaded next time).`);
  if (plan.unavailable.length) parts.push(`${formatCount(plan.unavailable.length)} cannot be downloaded (${plan.unavailable[0].reason}).`);
  if (plan.stoppedAt) parts.push(`The listing stopped at photos taken before ${plan.stoppedAt.slice(0, 10)}, which an earlier download brought (--all checks every item).`);
  out.info(parts.join(' '));
  if (dryRun) {
    const shown = out.json ? [] : plan.downloads.slice(0, 20);
    for (const d of shown) out.info(`  download  ${d.item.filename || d.item.id}  →  ${path.relative(plan.root, d.target)}`);
    if (plan.downloads.length > shown.length && !out.json) out.info(`  … and ${formatCount(plan.downloads.length - shown.length)} more`);
  }
}

/** Follows a running download group: stops it on Ctrl-C and when the queue pauses for the quota. */
export function follow(cli: CliContext, s: DownloadServices, group: TaskGroup, pause: { value?: QueuePause }): void {
  s.display.follow(group, () => s.queue.paused);
  const stop = () => group.cancel();
  s.stops.add(stop);
  const subs = [
    s.queue.onDidChange((state) => {
      if (state.paused && !pause.value) {
        pause.value = state.paused;
        group.cancel();
      }
    }),
    cli.interrupt.onInterrupt(stop),
  ];
  void group.finished.then(() => {
    s.stops.delete(stop);
    for (const sub of subs) sub.dispose();
  });
}

/** Runs a plan with progress; the report and the queue pause that stopped it, if one did. */
export async function runDownloadPlan(cli: CliContext, s: DownloadServices, plan: DownloadPlan, title: string): Promise<{ report: DownloadReport; pause?: QueuePause }> {
  const pause: { value?: QueuePause } = {};
  const report = await s.pipeline.run(plan, { title, onGroup: (group) => follow(cli, s, group, pause) });
  s.display.stop();
  return { report, pause: pause.value };
}

/** Prints how a run ended (VS Code's words, each failure on its own line) and decides the exit code. */
export function finishDownload(cli: CliContext, s: DownloadServices, report: DownloadReport, verb: 'Imported' | 'Downloaded', pause?: QueuePause): ExitCode {
  const { out } = cli;
  s.display.stop();
  const text = describeDownload(report, { verb, service: s.kind.displayName }, englishL10n);
  out.event('summary', {
    downloaded: report.downloaded,
    bytes: report.bytes,
    already: report.already,
    notReady: report.notReady,
    failed: report.failed,
    renamed: report.renamed,
    links: { symlink: report.links.symlink, hardlink: report.links.hardlink },
    sidecars: report.sidecars,
    exifWritten: report.exifWritten,
    stopped: report.stopped ?? null,
    cancelled: report.cancelled,
    root: report.root,
  });
  if (text.level === 'info') out.info(text.message);
  else if (text.level === 'warning') out.warn(text.message);
  else out.error(text.message);
  if (text.detail && !out.quiet) for (const line of text.detail.split('\n')) out.info(`  ${line}`);
  for (const f of report.failed) out.notice(`  failed: ${f.name}: ${f.message}`);
  const failure = s.authFailure() ?? report.errors.find((e) => exitCodeOfAuth(e) === EXIT.signIn);
  if (failure !== undefined) {
    out.error(problemLine(failure) ?? errorLine(failure), exitCodeOfAuth(failure));
    return exitCodeOfAuth(failure) ?? EXIT.signIn;
  }
  if (cli.interrupt.received) {
    out.notice(`Stopped (${cli.interrupt.received}); run the same command again to download the rest.`);
    return EXIT.cancelled;
  }
  if (pause) {
    out.notice(`Stopped by ${s.kind.displayName}' ${pause.label}: run the same command again after ${s.kind.quota.resetText} (${formatTimeOfDay(pause.until)} here) to download the rest.`);
    return EXIT.quota;
  }
  return report.stopped || report.failed.length || report.cancelled ? EXIT.failed : EXIT.ok;
}
