// photo-sync verify [folder…]: Verify Backup on the command line — the same pipeline as the VS Code
// command (src/sync/verify): the sync folders (all, or those named) compared with the index and Google
// Photos; the findings listed per kind, or one JSON event per finding with --json; --report writes the
// Markdown report. Each folder is checked against its own account's library, as `sync` uploads it: the
// folder's "account" in the config, else --account, else the first signed in. Reads only: nothing is
// uploaded, downloaded or deleted.
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
import { keychainHint } from '../secrets';

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
    'page (printed first); stops within the quota left today. Exit code 1 when something was found.\n' +
    'Each folder is checked against its own account\'s library: its "account" in the config, else --account, else the\n' +
    'first signed in (the account checked is printed). A folder whose account is not signed in is not checked (exit code 4).',
  configure: (command: Command) =>
    command.option('--deep', 'hash every file, not only those whose size or modification time changed').option('--report <file.md>', 'also write the Markdown report to this file'),
  examples: ['photo-sync verify', 'photo-sync verify ~/Pictures/Camera --deep', 'photo-sync --account me.too@gmail.com verify', 'photo-sync verify --json', 'photo-sync verify --report backup-check.md'],
  async run(cli, [named], options) {
    const settings = cli.settings();
    const names = (named as string[] | undefined) ?? [];
    const folders = names.length ? names.map((n) => configured(cli, n)) : settings.folders;
    if (folders.length === 0) throw new CliError(EXIT.usage, `No sync folders in ${settings.source}. Add them under "folders" (see photo-sync --help), or use --vscode-settings.`);
    await checkAccountOption(cli);
    let code: ExitCode = EXIT.ok;
    const byDestination = new Map<string, SyncFolder[]>();
    for (const f of folders) byDestination.set(f.destination, [...(byDestination.get(f.destination) ?? []), f]);
    const markdown: string[] = [];
    for (const [destination, list] of byDestination) {
      // A folder that names its account is checked against that one only; --account (else the first signed in) is for the others.
      const byAccount = new Map<string | undefined, SyncFolder[]>();
      for (const f of list) byAccount.set(f.account ?? cli.options.account, [...(byAccount.get(f.account ?? cli.options.account) ?? []), f]);
      for (const [wanted, group] of byAccount) {
        const result = await verifyDestination(cli, destination, group, options, wanted, group.some((f) => f.account !== undefined));
        if (result.markdown) markdown.push(result.markdown);
        code = worse(code, result.code);
        if (result.code === EXIT.cancelled) break;
      }
      if (code === EXIT.cancelled) break;
    }
    if (options.report) {
      fs.writeFileSync(path.resolve(options.report), markdown.join('\n'));
      cli.out.info(`Report written to ${path.resolve(options.report)}`);
    }
    return code;
  },
});

async function verifyDestination(cli: CliContext, destination: string, folders: SyncFolder[], options: VerifyOptions, wanted: string | undefined, namedByFolder: boolean): Promise<{ code: ExitCode; markdown?: string }> {
  const { out } = cli;
  const kind = destinationKind(destination);
  if (!kind) throw new CliError(EXIT.usage, `Unknown destination "${destination}" for ${folders.map((f) => f.path).join(', ')}.`);
  if (kind.authProviderId !== 'photoSync.google') throw new CliError(EXIT.usage, `The command line signs in to Google only; verify ${folders.map((f) => f.path).join(', ')} (destination ${kind.displayName}) from VS Code.`);
  const auth = await cli.auth();
  if (!(await auth.clientStore.get())) throw new CliError(EXIT.usage, 'No Google OAuth client is set up for the command line. Run: photo-sync setup-client <client_secret.json>');
  const names = folders.map((f) => f.path).join(', ');
  const account = auth.account(wanted);
  if (!account && namedByFolder && wanted) {
    // Never another account's library in its place: every item would look missing there.
    out.warn(`${names} ${folders.length === 1 ? 'is' : 'are'} backed up with ${wanted}, which is not signed in: not verified. Run: photo-sync login (as ${wanted}), or change the folder's "account".`);
    out.event('account-signed-out', { account: wanted, folders: folders.map((f) => f.path) });
    return { code: EXIT.signIn };
  }
  if (!account) {
    const known = auth.accounts().map((a) => a.label);
    throw new CliError(EXIT.signIn, wanted && known.length ? `${wanted} is not signed in (signed in: ${known.join(', ')}). Run: photo-sync login` : `Not signed in to Google Photos. Run: photo-sync login${keychainHint(auth.secrets)}`);
  }
  const index = await cli.index();
  const quota = cli.quota(kind, account.id, index);
  const tokens = auth.tokenSource(account);
  const { provider } = await cli.destination(kind, account.id, tokens, quota);
  const run = new VerifyRun({ provider, index, accountId: account.id, folders, deep: options.deep });
  const signal = cli.interrupt.signal;
  const estimate = await run.prepare(signal, (p) => out.event('progress', { phase: p.phase, message: p.message }));
  const left = Math.max(0, kind.quota.limit - (quota.usedNow() ?? 0));
  out.event('cost', { destination: kind.id, account: account.label, folders: folders.map((f) => f.path), requests: estimate, left, limit: kind.quota.limit });
  out.info(`Verify ${names} with the account ${account.label}: ${formatCount(estimate)} request(s) to ${kind.displayName} (${formatCount(left)} of ${formatCount(kind.quota.limit)} left ${kind.quota.period === 'day' ? 'today' : 'this hour'}).`);
  let report;
  try {
    report = await run.run({ budget: left, signal });
  } catch (err) {
    const code = exitCodeOfAuth(err);
    if (code !== undefined) throw new CliError(code, (err as Error).message);
    throw err;
  }
  for (const f of report.findings) out.event('finding', { ...f });
  out.event('summary', { destination: kind.id, account: account.label, complete: report.complete, stopped: report.stopped ?? null, requests: report.requests, folders: report.folders, counts: Object.fromEntries(FINDING_KINDS.map((k) => [k, report.findings.filter((f) => f.kind === k).length])) });
  for (const kindOf of FINDING_KINDS) {
    const list = report.findings.filter((f) => f.kind === kindOf);
    if (list.length === 0) continue;
    out.notice(`${FINDING_TITLES[kindOf]} (${list.length}):`);
    for (const f of list) out.notice(`  ${f.path ?? f.folder} — ${f.detail}`);
  }
  out.notice(`${account.label}: ${summaryLine(report)}`);
  const code = report.stoppedBy === 'cancelled' || cli.interrupt.received ? EXIT.cancelled : report.stoppedBy === 'quota' ? EXIT.quota : !report.complete || report.findings.length ? EXIT.failed : EXIT.ok;
  return { code, markdown: verifyMarkdown(report, account.label) };
}

/** --account names a signed-in account, or the command stops before any request (as `sync` does for the folders it is used for). */
async function checkAccountOption(cli: CliContext): Promise<void> {
  const wanted = cli.options.account;
  if (!wanted) return;
  const auth = await cli.auth();
  if (auth.account(wanted)) return;
  const known = auth.accounts().map((a) => a.label);
  throw new CliError(EXIT.signIn, known.length ? `${wanted} is not signed in (signed in: ${known.join(', ')}). Run: photo-sync login` : `Not signed in to Google Photos. Run: photo-sync login${keychainHint(auth.secrets)}`);
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
