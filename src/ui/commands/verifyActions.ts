// The Verify Backup view's row actions: Re-download, Re-upload, Reveal in Explorer, Open in Google
// Photos, Forget. Each works on a finding row or a whole group; what it fixed leaves the report.
import path from 'node:path';
import { forgetFindings, prepareReupload, restoreFindings } from '../../sync/verify/actions';
import type { Finding } from '../../sync/verify/types';
import { exclusively, runWithProgress, scanWithProgress } from './steps';
import type { VerifyCommandDeps, VerifyResult } from './verify';
import { formatCount } from '../../util/format';

/** The findings a row carries (FindingNode in verifyTree.ts). */
function findingsOf(arg: unknown): Finding[] {
  const list = (arg as { findings?: unknown } | undefined)?.findings;
  return Array.isArray(list) ? (list as Finding[]) : [];
}

function resultOf(deps: VerifyCommandDeps, f: Finding): VerifyResult | undefined {
  return deps.results.find((r) => r.report.findings.includes(f));
}

/** Takes fixed findings out of the report (those that were backed-up files count as in sync now) and redraws. */
function resolved(deps: VerifyCommandDeps, done: readonly Finding[]): void {
  const fixed = new Set(done);
  for (const r of deps.results) {
    for (const f of r.report.findings) {
      if (!fixed.has(f) || f.kind === 'orphan' || f.kind === 'duplicate') continue;
      const folder = r.report.folders.find((x) => x.path === f.folder);
      if (folder) folder.inSync++;
      if (folder && f.kind === 'missing-locally') folder.files++;
    }
    r.report.findings = r.report.findings.filter((f) => !fixed.has(f));
  }
  deps.changed();
}

export async function redownloadFindings(deps: VerifyCommandDeps, arg: unknown): Promise<void> {
  const findings = findingsOf(arg).filter((f) => f.kind === 'missing-locally');
  const result = findings[0] && resultOf(deps, findings[0]);
  if (!result) return;
  const session = await deps.session(result.destination, result.account);
  if (!session) return;
  const { reports, skipped } = await restoreFindings(session.downloads, findings, { onGroup: (g) => void deps.sync.showProgress(g), l10n: deps.vs.l10n });
  const placed = new Set(reports.flatMap((r) => r.files));
  const failed = reports.flatMap((r) => r.failed.map((x) => `${x.name}: ${x.message}`));
  const back = findings.filter((f) => f.path && (placed.has(f.path) || reports.some((r) => r.renamed.some((x) => x.wanted === f.path))));
  resolved(deps, back);
  deps.sync.refresh();
  const renamed = reports.flatMap((r) => r.renamed.map((x) => `${path.basename(x.wanted)} → ${path.basename(x.placed)}`));
  const { l10n } = deps.vs;
  const lines = [back.length === 1 ? l10n.t('Re-downloaded 1 file: {0}.', back[0].rel ?? '') : l10n.t('Re-downloaded {0} files.', formatCount(back.length))];
  if (renamed.length) lines.push(l10n.t('The name was taken, so: {0}.', renamed.join(', ')));
  if (skipped.length || failed.length) {
    void deps.vs.window.showWarningMessage(deps.vs.l10n.t('{0} Not restored: {1}', lines.join(' '), [...skipped, ...failed].join('; ')));
  } else void deps.vs.window.showInformationMessage(lines.join(' '));
}

export async function reuploadFindings(deps: VerifyCommandDeps, arg: unknown): Promise<void> {
  const findings = findingsOf(arg).filter((f) => f.kind === 'missing-remotely' || f.kind === 'changed-locally' || f.kind === 'not-uploaded');
  const result = findings[0] && resultOf(deps, findings[0]);
  if (!result) return;
  const session = await deps.session(result.destination, result.account);
  if (!session) return;
  const provider = session.pipeline.provider;
  const roots = await prepareReupload(session.index, provider, session.accountId, findings);
  const folders = deps.folders().filter((f) => roots.includes(path.resolve(f.path)));
  const wanted = new Set(findings.map((f) => f.path));
  await exclusively(deps.sync, session, folders, async (lease) => {
    const plan = await scanWithProgress(deps.sync, session, folders, deps.vs.l10n.t('Re-upload: reading {0}', folders.map((f) => path.basename(f.path)).join(', ')));
    if (!plan) return;
    // Only what the rows named: other files of the folder wait for Sync Now.
    plan.uploads = plan.uploads.filter((u) => wanted.has(u.file.path));
    plan.adds = plan.adds.filter((a) => wanted.has(a.file.path));
    if (plan.uploads.length === 0 && plan.adds.length === 0) {
      void deps.vs.window.showInformationMessage(deps.vs.l10n.t('Nothing to re-upload: {0} has these already.', provider.displayName));
      resolved(deps, findings);
      return;
    }
    const count = plan.uploads.length + plan.adds.length;
    const title = count === 1 ? deps.vs.l10n.t('Re-uploading 1 file to {0}', provider.displayName) : deps.vs.l10n.t('Re-uploading {0} files to {1}', formatCount(count), provider.displayName);
    const report = await runWithProgress(deps.sync, session, plan, title, lease);
    const failed = new Set(report.failed.map((x) => x.path));
    resolved(
      deps,
      findings.filter((f) => f.path && !failed.has(f.path)),
    );
  });
}

export async function revealFinding(deps: VerifyCommandDeps, arg: unknown): Promise<void> {
  const f = findingsOf(arg)[0];
  if (!f?.path) return;
  const uri = deps.vs.Uri.file(f.path);
  const inWorkspace = deps.vs.workspace.getWorkspaceFolder(uri) !== undefined;
  await deps.vs.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', uri);
}

export async function openFinding(deps: VerifyCommandDeps, arg: unknown): Promise<void> {
  const f = findingsOf(arg)[0];
  if (!f) return;
  const result = resultOf(deps, f);
  const session = result && (await deps.session(result.destination, result.account));
  const url = f.webUrl ?? (f.mediaItemId ? session?.index.mediaItems.get(f.mediaItemId)?.productUrl : undefined);
  if (!url) {
    void deps.vs.window.showInformationMessage(deps.vs.l10n.t('Photo Sync has no {0} address for {1}.', result?.report.destination ?? 'web', String(f.rel ?? f.path)));
    return;
  }
  await deps.vs.env.openExternal(deps.vs.Uri.parse(url));
}

export async function forgetFinding(deps: VerifyCommandDeps, arg: unknown): Promise<void> {
  const findings = findingsOf(arg).filter((f) => f.kind === 'orphan' || f.kind === 'missing-locally' || f.kind === 'missing-remotely');
  const result = findings[0] && resultOf(deps, findings[0]);
  if (!result) return;
  const question = findings.length === 1 ? deps.vs.l10n.t('Forget “{0}”?', String(findings[0].rel ?? findings[0].path)) : deps.vs.l10n.t('Forget {0} entries?', formatCount(findings.length));
  const go = await deps.vs.window.showWarningMessage(
    question,
    { modal: true, detail: deps.vs.l10n.t('Photo Sync drops it from its index and stops reporting it. No file and nothing in the destination is deleted; a file deleted on purpose stays deleted.') },
    deps.vs.l10n.t('Forget'),
  );
  if (go !== deps.vs.l10n.t('Forget')) return;
  const session = await deps.session(result.destination, result.account);
  if (!session) return;
  await forgetFindings(session.index, session.pipeline.provider, session.accountId, findings);
  resolved(deps, findings);
  deps.sync.refresh();
}
