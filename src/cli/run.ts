// `sync` and `upload` on the command line: per destination, hold the folders' run leases (waiting,
// and saying who holds them), resume what an earlier run left unfinished, scan, plan, run the plan
// through the queue with a live display, and end with a summary and an exit code. Ctrl-C, the daily
// quota and a sign-in Google refuses stop the run cleanly; the journal lets the next run resume.
import fs from 'node:fs';
import path from 'node:path';
import { destinationKind, type DestinationKind } from '../destinations/factory';
import type { SyncFolder } from '../sync/config';
import { publishLeaseProgress } from '../sync/leaseProgress';
import type { SyncPlan } from '../sync/plan';
import type { HeldLeases } from '../sync/runLease';
import type { UploadPipeline } from '../sync/upload/pipeline';
import { RESUMES_NEXT_SYNC, type SyncReport } from '../sync/upload/report';
import type { QueuePause, TaskGroup, TaskQueue } from '../tasks/api';
import { formatTimeOfDay } from '../util/format';
import type { CliContext } from './context';
import { CliError, EXIT, exitCodeOfAuth, type ExitCode } from './exit';
import { printPlan, printReport } from './plan';
import { problemLine, errorLine } from './problems';
import { ProgressDisplay } from './progress';
import { keychainHint } from './secrets';

export interface RunRequest {
  folders: SyncFolder[];
  dryRun: boolean;
  /** Resume what earlier runs left unfinished first (a sync of every configured folder, as VS Code does at start). */
  resumeUnfinished: boolean;
  /** --concurrency: files uploading at once. */
  concurrency?: number;
  /** The run's title ("Syncing folders to Google Photos"). */
  title: (destination: string) => string;
}

/** Exit codes in order of what the user must hear about first. */
const SEVERITY: ExitCode[] = [EXIT.cancelled, EXIT.signIn, EXIT.usage, EXIT.quota, EXIT.failed, EXIT.ok];

export async function runFolders(cli: CliContext, request: RunRequest): Promise<ExitCode> {
  const present: SyncFolder[] = [];
  let code: ExitCode = EXIT.ok;
  for (const folder of request.folders) {
    const stat = fs.statSync(folder.path, { throwIfNoEntry: false });
    if (stat && !stat.isDirectory()) throw new CliError(EXIT.usage, `Sync folder ${folder.path} is not a folder. Fix its "path" in ${cli.settings().source}.`);
    if (!stat) {
      cli.out.warn(`Sync folder ${folder.path} is missing (disconnected drive?). Nothing in it was changed; the other folders are synced.`);
      cli.out.event('missing-folder', { path: folder.path });
      code = EXIT.failed;
      continue;
    }
    present.push(folder);
  }
  const byDestination = new Map<string, SyncFolder[]>();
  for (const f of present) byDestination.set(f.destination, [...(byDestination.get(f.destination) ?? []), f]);
  for (const [id, folders] of byDestination) {
    const kind = destinationKind(id);
    if (!kind) throw new CliError(EXIT.usage, `${folders.map((f) => f.path).join(', ')} name${folders.length === 1 ? 's' : ''} the destination "${id}", which Photo Sync does not know.`);
    // A folder that names its account syncs with that one only; --account (else the first signed in) is for the others.
    const byAccount = new Map<string | undefined, SyncFolder[]>();
    for (const f of folders) byAccount.set(f.account ?? cli.options.account, [...(byAccount.get(f.account ?? cli.options.account) ?? []), f]);
    let stop = false;
    for (const [wanted, group] of byAccount) {
      const named = group.some((f) => f.account !== undefined);
      const result = await runDestination(cli, kind, group, request, wanted, named);
      code = worse(code, result);
      // A folder's own account signed out stops only that folder's run; the others go on.
      if (result === EXIT.cancelled || (result === EXIT.signIn && !named)) stop = true;
      if (stop) break;
    }
    if (stop) break;
  }
  return code;
}

function worse(a: ExitCode, b: ExitCode): ExitCode {
  return SEVERITY.indexOf(a) <= SEVERITY.indexOf(b) ? a : b;
}

async function runDestination(cli: CliContext, kind: DestinationKind, folders: SyncFolder[], request: RunRequest, wanted = cli.options.account, namedByFolder = false): Promise<ExitCode> {
  const { out } = cli;
  if (kind.authProviderId !== 'photoSync.google') {
    throw new CliError(EXIT.usage, `The command line signs in to Google only; sync ${folders.map((f) => f.path).join(', ')} (destination ${kind.displayName}) from VS Code.`);
  }
  const auth = await cli.auth();
  const client = await auth.clientStore.get();
  if (!client) throw new CliError(EXIT.usage, `No Google OAuth client is set up for the command line. Run: photo-sync setup-client <client_secret.json> (the file of a "Desktop app" client from the Google Cloud console).${keychainHint(auth.secrets)}`);
  const account = auth.account(wanted);
  if (!account && namedByFolder && wanted) {
    // Never another account in its place: that would upload into someone else's library.
    out.warn(`${folders.map((f) => f.path).join(', ')} sync${folders.length === 1 ? 's' : ''} with ${wanted}, which is not signed in: not synced. Run: photo-sync login (as ${wanted}), or change the folder's "account".`);
    out.event('account-signed-out', { account: wanted, folders: folders.map((f) => f.path) });
    return EXIT.signIn;
  }
  if (!account) {
    const known = auth.accounts().map((a) => a.label);
    throw new CliError(EXIT.signIn, wanted && known.length ? `${wanted} is not signed in (signed in: ${known.join(', ')}). Run: photo-sync login` : `Not signed in to Google Photos. Run: photo-sync login${keychainHint(auth.secrets)}`);
  }
  const index = await cli.index();
  const display = new ProgressDisplay(out);
  const stopRun = new Set<() => void>();
  let authFailure: unknown;
  const tokens = auth.tokenSource(account, (err) => {
    const code = exitCodeOfAuth(err);
    if (authFailure !== undefined || (code !== EXIT.signIn && code !== EXIT.usage)) return;
    authFailure = err;
    for (const stop of stopRun) stop();
  });
  const quota = cli.quota(kind, account.id, index);
  const { pipeline } = await cli.destination(kind, account.id, tokens, quota, request.concurrency);
  const queue = cli.queue();
  const names = folders.map((f) => f.path).join(', ');
  const signal = cli.interrupt.signal;
  out.event('start', { destination: kind.id, account: account.label, folders: folders.map((f) => f.path), dryRun: request.dryRun, index: index.filePath });

  try {
    if (request.dryRun) {
      // Looks only: no lease, no request, nothing written to the index.
      const plan = await scanAndPlan(pipeline, folders, signal, display, false);
      display.stop();
      printPlan(out, plan, quota.usedNow() ?? 0, kind, true);
      return EXIT.ok;
    }
    // A token now, so a revoked or expired sign-in stops the run before it scans.
    await tokens.getAccessToken(kind.scopes, signal);
    return await pipeline.exclusive(
      folders,
      async (lease) => {
        const reports: { report: SyncReport; pause?: QueuePause }[] = [];
        if (request.resumeUnfinished) {
          const unfinished = await pipeline.planUnfinished(folders);
          if (unfinished && unfinished.uploads.length + unfinished.adds.length > 0) {
            out.info(`Resuming ${unfinished.uploads.length + unfinished.adds.length} file(s) an earlier run left unfinished.`);
            const done = await runPlan(pipeline, queue, unfinished, `Resuming unfinished uploads to ${kind.displayName}`, lease, display, cli, stopRun);
            reports.push(done);
            printRun(cli, kind, done.report, display);
            if (done.report.cancelled) return finish(cli, kind, reports, authFailure, display);
          }
        }
        // Uploads of new content start while the folders are scanned; the plan is printed once the scan is done.
        const { plan, done } = await scanAndRun(pipeline, queue, folders, request.title(kind.displayName), lease, display, cli, stopRun, (p) => {
          for (const missing of p.missingFolders) out.warn(`Sync folder ${missing} is missing (disconnected drive?). Nothing in it was changed.`);
          if (p.uploads.length === 0 && p.adds.length === 0) return;
          printPlan(out, p, quota.usedNow() ?? 0, kind, false);
        }, Math.max(0, kind.quota.limit - (quota.usedNow() ?? 0)));
        if (plan.uploads.length === 0 && plan.adds.length === 0) {
          // Confirmed files still in an archiving folder (a run stopped mid-move) were moved by the run.
          for (const p of done?.report.archiveProblems ?? []) out.warn(`Not archived: ${p.path} ${p.reason}.`);
          display.stop();
          printPlan(out, plan, quota.usedNow() ?? 0, kind, false);
          const code = finish(cli, kind, reports, authFailure, display, plan);
          return plan.missingFolders.length ? worse(code, EXIT.failed) : code;
        }
        if (done) {
          reports.push(done);
          printRun(cli, kind, done.report, display);
        }
        const code = finish(cli, kind, reports, authFailure, display, plan);
        return plan.missingFolders.length ? worse(code, EXIT.failed) : code;
      },
      { signal, onBusy: (holder) => display.waiting(holder, names) },
    );
  } catch (err) {
    display.stop();
    if (cli.interrupt.received || (err as Error).name === 'AbortError') {
      out.notice(`Stopped (${cli.interrupt.received ?? 'cancelled'}); the next run resumes where this one stopped.`);
      return EXIT.cancelled;
    }
    const code = exitCodeOfAuth(authFailure ?? err);
    if (code !== undefined) throw new CliError(code, errorLine(authFailure ?? err));
    throw err;
  }
}

async function scanAndPlan(pipeline: UploadPipeline, folders: SyncFolder[], signal: AbortSignal, display: ProgressDisplay, record: boolean): Promise<SyncPlan> {
  const scans = await pipeline.scan(folders, signal, (message) => display.scan(message), { record });
  const plan = pipeline.plan(scans);
  const files = scans.reduce((n, s) => n + s.scan.files.length, 0);
  display.scanDone(`Scanned ${files.toLocaleString('en-US')} file${files === 1 ? '' : 's'} in ${scans.map((s) => path.basename(s.folder.path) || s.folder.path).join(', ')}.`);
  return plan;
}

/**
 * Scan, plan and run as one step (pipeline.sync): uploads start while the scan goes on, with the live
 * display following them; `planned` prints the plan once the scan is done. A quota pause stops the
 * run, but only once the plan exists (the scan finishes first, so the summary can say what waits).
 */
async function scanAndRun(
  pipeline: UploadPipeline,
  queue: TaskQueue,
  folders: SyncFolder[],
  title: string,
  lease: HeldLeases,
  display: ProgressDisplay,
  cli: CliContext,
  stopRun: Set<() => void>,
  planned: (plan: SyncPlan) => void,
  earlyLimit: number,
): Promise<{ plan: SyncPlan; done?: { report: SyncReport; pause?: QueuePause } }> {
  let pause: QueuePause | undefined;
  let group: TaskGroup | undefined;
  let decided = false;
  const follow = (g: TaskGroup) => {
    display.follow(g, () => queue.paused);
  };
  // Ctrl-C before any upload started stops the scan; after, it stops the uploads and the scan ends, so
  // the summary can say how many files wait.
  const scanAbort = new AbortController();
  const interrupted = cli.interrupt.onInterrupt(() => {
    if (!group) scanAbort.abort(new DOMException('Interrupted', 'AbortError'));
  });
  if (cli.interrupt.signal.aborted) scanAbort.abort(new DOMException('Interrupted', 'AbortError'));
  const { plan, report } = await pipeline.sync(folders, {
    signal: scanAbort.signal,
    scanOutlivesGroup: true,
    title,
    earlyLimit,
    onProgress: (message) => display.scan(message),
    onGroup: (g) => {
      group = g;
      follow(g);
      publishLeaseProgress(lease, g, title);
      stopGroupWhenAsked(g, queue, cli, stopRun, (paused) => {
        if (pause) return;
        pause = paused;
        // Before the plan is decided, decide() stops the group (it still reports what was planned).
        if (decided) g.cancel();
      });
    },
    decide: (p) => {
      decided = true;
      const files = new Set([p.uploads, p.adds, p.alreadyUploaded, p.duplicates, p.excluded, p.unsupported, p.tooLarge, p.empty, p.unreadable, p.damaged, p.rejected].flatMap((list) => list.map((x) => x.file.path))).size;
      display.scanDone(`Scanned ${files.toLocaleString('en-US')} file${files === 1 ? '' : 's'} in ${folders.map((f) => path.basename(f.path) || f.path).join(', ')}.`);
      planned(p);
      // The scan's end closed the live display: the uploads already running are followed again.
      if (group && !group.signal.aborted && cli.out.live) follow(group);
      if (pause) group?.cancel();
      const nothing = p.uploads.length === 0 && p.adds.length === 0;
      return nothing && !p.alreadyUploaded.some((a) => a.folder.afterUpload === 'archive') && !group ? undefined : p;
    },
  }).finally(() => interrupted.dispose());
  return { plan, done: { report, pause } };
}

/** Runs a plan in one queue group; stops it on Ctrl-C, on the quota pausing the queue, or on a refused sign-in. */
async function runPlan(
  pipeline: UploadPipeline,
  queue: TaskQueue,
  plan: SyncPlan,
  title: string,
  lease: HeldLeases,
  display: ProgressDisplay,
  cli: CliContext,
  stopRun: Set<() => void>,
): Promise<{ report: SyncReport; pause?: QueuePause }> {
  let pause: QueuePause | undefined;
  const report = await pipeline.run(plan, {
    title,
    onGroup: (group) => {
      display.follow(group, () => queue.paused);
      publishLeaseProgress(lease, group, title);
      stopGroupWhenAsked(group, queue, cli, stopRun, (paused) => {
        if (pause) return;
        pause = paused;
        group.cancel();
      });
    },
  });
  return { report, pause };
}

/**
 * Stops a group on Ctrl-C (and through stopRun), and tells onPause when the quota pauses the queue:
 * the CLI does not wait for the quota's reset (hours away) — it stops, and the next run continues.
 */
function stopGroupWhenAsked(group: TaskGroup, queue: TaskQueue, cli: CliContext, stopRun: Set<() => void>, onPause: (paused: QueuePause) => void): void {
  const stop = () => group.cancel();
  stopRun.add(stop);
  const subs = [
    queue.onDidChange((s) => {
      if (s.paused) onPause(s.paused);
    }),
    cli.interrupt.onInterrupt(stop),
  ];
  void group.finished.then(() => {
    stopRun.delete(stop);
    for (const sub of subs) sub.dispose();
  });
}

/** The summary of one run, printed as soon as it ended. */
function printRun(cli: CliContext, kind: DestinationKind, report: SyncReport, display: ProgressDisplay): void {
  display.stop();
  const failed = report.failed.filter((f) => f.message !== RESUMES_NEXT_SYNC);
  const waiting = report.failed.filter((f) => f.message === RESUMES_NEXT_SYNC);
  printReport(cli.out, report, kind.displayName, failed, waiting);
}

/** Says why a destination's runs stopped, if they did, and decides the exit code. */
function finish(cli: CliContext, kind: DestinationKind, runs: { report: SyncReport; pause?: QueuePause }[], authFailure: unknown, display: ProgressDisplay, plan?: SyncPlan): ExitCode {
  const { out } = cli;
  display.stop();
  const pause = runs.find((r) => r.pause)?.pause;
  const cancelled = runs.some((r) => r.report.cancelled);
  const failed = runs.flatMap((r) => r.report.failed.filter((f) => f.message !== RESUMES_NEXT_SYNC));
  const waiting = runs.flatMap((r) => r.report.failed.filter((f) => f.message === RESUMES_NEXT_SYNC));
  const archiveProblems = runs.flatMap((r) => r.report.archiveProblems);
  if (runs.length === 0 && plan) out.event('summary', { uploaded: 0, added: 0, alreadyUploaded: plan.alreadyUploaded.length, failed: [], waiting: 0, cancelled: false });
  if (authFailure !== undefined) {
    out.error(problemLine(authFailure) ?? errorLine(authFailure), exitCodeOfAuth(authFailure));
    return exitCodeOfAuth(authFailure) ?? EXIT.signIn;
  }
  if (cli.interrupt.received) {
    out.notice(`Stopped (${cli.interrupt.received}): ${waiting.length} file(s) wait for the next run, which resumes where this one stopped.`);
    return EXIT.cancelled;
  }
  if (pause) {
    const local = formatTimeOfDay(pause.until);
    out.notice(`Stopped by ${kind.displayName}' ${pause.label} (${kind.quota.limit.toLocaleString('en-US')} requests per ${kind.quota.period}): ${waiting.length} file(s) wait for the next run after ${kind.quota.resetText} (${local} here).`);
    return EXIT.quota;
  }
  if (cancelled && waiting.length) return EXIT.cancelled;
  return failed.length || archiveProblems.length ? EXIT.failed : EXIT.ok;
}
