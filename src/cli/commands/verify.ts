// photo-sync verify [folder…]: Verify Backup on the command line — the same pipeline as the VS Code
// command (src/sync/verify): the sync folders (all, or those named) compared with the index and Google
// Photos; the findings listed per kind, or one JSON event per finding with --json; --report writes the
// Markdown report. Reads only: nothing is uploaded, downloaded or deleted.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { destinationKind } from '../../destinations/factory';
import type { SyncFolder } from '../../sync/config';
import { verifyMarkdown } from '../../sync/verify/markdown';
import { VerifyRun } from '../../sync/verify/run';
import { FINDING_KINDS, FINDING_TITLES, summaryLine } from '../../sync/verify/types';
import { formatCount } from '../../util/format';
import { defineCommand } from '../command';
import type { CliContext } from '../context';
import { CliError, EXIT, exitCodeOfAuth, type ExitCode } from '../exit';

interface VerifyOptions {
  deep?: boolean;
  report?: string;
}

export default defineCommand<VerifyOptions>({
  name: 'verify',
  arguments: '[folder...]',
  summary: 'Check the backup: compare the sync folders, the index and Google Photos (reads only)',
  description:
    'Finds files missing locally or in Google Photos (deleted there, or removed from their album), changed since upload,\n' +
    'not uploaded yet, duplicated, and index entries left over. Costs one request per 50 items and one per album listing\n' +
    'page (printed first); stops within the quota left today. Exit code 1 when something was found.',
  configure: (command: Command) =>
    command.option('--deep', 'hash every file, not only those whose size or modification time changed').option('--report <file.md>', 'also write the Markdown report to this file'),
  examples: ['photo-sync verify', 'photo-sync verify ~/Pictures/Camera --deep', 'photo-sync verify --json', 'photo-sync verify --report backup-check.md'],
  async run(cli, [named], options) {
    const settings = cli.settings();
    const names = (named as string[] | undefined) ?? [];
    const folders = names.length ? names.map((n) => configured(cli, n)) : settings.folders;
    if (folders.length === 0) throw new CliError(EXIT.usage, `No sync folders in ${settings.source}. Add them under "folders" (see photo-sync --help), or use --vscode-settings.`);
    let code: ExitCode = EXIT.ok;
    const byDestination = new Map<string, SyncFolder[]>();
    for (const f of folders) byDestination.set(f.destination, [...(byDestination.get(f.destination) ?? []), f]);
    const markdown: string[] = [];
    for (const [destination, list] of byDestination) {
      const result = await verifyDestination(cli, destination, list, options);
      markdown.push(result.markdown);
      code = worse(code, result.code);
    }
    if (options.report) {
      fs.writeFileSync(path.resolve(options.report), markdown.join('\n'));
      cli.out.info(`Report written to ${path.resolve(options.report)}`);
    }
    return code;
  },
});

async function verifyDestination(cli: CliContext, destination: string, folders: SyncFolder[], options: VerifyOptions): Promise<{ code: ExitCode; markdown: string }> {
  const { out } = cli;
  const kind = destinationKind(destination);
  if (!kind) throw new CliError(EXIT.usage, `Unknown destination "${destination}" for ${folders.map((f) => f.path).join(', ')}.`);
  if (kind.authProviderId !== 'photoSync.google') throw new CliError(EXIT.usage, `The command line signs in to Google only; verify ${folders.map((f) => f.path).join(', ')} (destination ${kind.displayName}) from VS Code.`);
  const auth = await cli.auth();
  if (!(await auth.clientStore.get())) throw new CliError(EXIT.usage, 'No Google OAuth client is set up for the command line. Run: photo-sync setup-client <client_secret.json>');
  const account = auth.account(cli.options.account);
  if (!account) throw new CliError(EXIT.signIn, 'Not signed in to Google Photos. Run: photo-sync login');
  const index = await cli.index();
  const quota = cli.quota(kind, account.id, index);
  const tokens = auth.tokenSource(account);
  const { provider } = await cli.destination(kind, account.id, tokens, quota);
  const run = new VerifyRun({ provider, index, accountId: account.id, folders, deep: options.deep });
  const signal = cli.interrupt.signal;
  const estimate = await run.prepare(signal, (p) => out.event('progress', { phase: p.phase, message: p.message }));
  const left = Math.max(0, kind.quota.limit - (quota.usedNow() ?? 0));
  out.event('cost', { destination: kind.id, requests: estimate, left, limit: kind.quota.limit });
  out.info(`Verify ${folders.map((f) => f.path).join(', ')}: ${formatCount(estimate)} request(s) to ${kind.displayName} (${formatCount(left)} of ${formatCount(kind.quota.limit)} left ${kind.quota.period === 'day' ? 'today' : 'this hour'}).`);
  let report;
  try {
    report = await run.run({ budget: left, signal });
  } catch (err) {
    const code = exitCodeOfAuth(err);
    if (code !== undefined) throw new CliError(code, (err as Error).message);
    throw err;
  }
  for (const f of report.findings) out.event('finding', { ...f });
  out.event('summary', { destination: kind.id, complete: report.complete, stopped: report.stopped ?? null, requests: report.requests, folders: report.folders, counts: Object.fromEntries(FINDING_KINDS.map((k) => [k, report.findings.filter((f) => f.kind === k).length])) });
  for (const kindOf of FINDING_KINDS) {
    const list = report.findings.filter((f) => f.kind === kindOf);
    if (list.length === 0) continue;
    out.notice(`${FINDING_TITLES[kindOf]} (${list.length}):`);
    for (const f of list) out.notice(`  ${f.path ?? f.folder} — ${f.detail}`);
  }
  out.notice(summaryLine(report));
  const code = report.stoppedBy === 'cancelled' || cli.interrupt.received ? EXIT.cancelled : report.stoppedBy === 'quota' ? EXIT.quota : !report.complete || report.findings.length ? EXIT.failed : EXIT.ok;
  return { code, markdown: verifyMarkdown(report) };
}

const SEVERITY: ExitCode[] = [EXIT.cancelled, EXIT.signIn, EXIT.usage, EXIT.quota, EXIT.failed, EXIT.ok];

function worse(a: ExitCode, b: ExitCode): ExitCode {
  return SEVERITY.indexOf(a) <= SEVERITY.indexOf(b) ? a : b;
}

function configured(cli: CliContext, given: string): SyncFolder {
  const wanted = path.resolve(given);
  const settings = cli.settings();
  const folder = settings.folders.find((f) => path.resolve(f.path) === wanted);
  if (!folder) throw new CliError(EXIT.usage, `${wanted} is not a sync folder in ${settings.source}.`);
  return folder;
}
