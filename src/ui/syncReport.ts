// The result message after a sync (with the log lines behind it); the sentences come from
// sync/reportText.ts, which the command line prints too.
import type * as vscode from 'vscode';
import { describeProblem, showProblem, type ProblemUi } from '../auth/messages';
import type { SyncReport } from '../sync/upload/pipeline';
import { summarizeReport } from '../sync/reportText';
import type { Logger } from '../util/logger';
import { offerEmptyFolderRemoval } from './emptyFolderOffer';

/** An extra button on the result message. */
export interface ReportAction {
  label: string;
  run(): Promise<void>;
}

export async function showReport(deps: { vs: ProblemUi & Pick<typeof vscode, 'l10n'>; log: Logger }, report: SyncReport, destination: string, action?: ReportAction): Promise<void> {
  const { vs } = deps;
  const summary = summarizeReport(report, destination, vs.l10n);
  for (const f of report.failed) deps.log.warn(`Not uploaded: ${f.path} — ${f.message}`);
  for (const p of report.archiveProblems) deps.log.warn(`Not archived: ${p.path} — ${p.reason}`);
  for (const r of report.archiveRenames) deps.log.info(`Archived under a new name: ${r.path} → ${r.movedTo} (a file of that name was already in the archive)`);
  for (const w of report.warnings) deps.log.warn(w);
  deps.log.info(summary);
  // A cause only the user can fix (API not enabled in their Cloud project, grant revoked, scope
  // missing) gets its own message with the button that fixes it.
  const problem = report.errors.map((e) => describeProblem(e, vs.l10n)).find((p) => p !== undefined);
  if (problem) void showProblem(vs, problem);
  const actions = action && !report.cancelled ? [action.label] : [];
  const showLog = vs.l10n.t('Show Log');
  const picked =
    report.failed.length || report.archiveProblems.length || report.warnings.length
      ? vs.window.showWarningMessage(summary, ...actions, showLog)
      : vs.window.showInformationMessage(summary, ...actions, ...(report.archiveRenames.length ? [showLog] : []));
  // Sub-folders the archive moves emptied: asked once, next to the result.
  if (report.archivedFrom.length) void offerEmptyFolderRemoval(deps, report.archivedFrom);
  const pick = await picked;
  if (pick === showLog) await vs.commands.executeCommand('photoSync.showLog');
  else if (action && pick === action.label) await action.run();
}

export { describePlan, summarizeReport } from '../sync/reportText';
