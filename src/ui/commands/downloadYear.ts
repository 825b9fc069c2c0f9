// Download by Year… (seed 002): pick a year (this year first), choose the folder, and download what the
// app created that was taken that year — listed newest first with a date filter, stopping where the
// last complete download of that year ended; "Check All Items" walks the whole year.
import type { PhotoIndex } from '../../index/api';
import { yearSource } from '../../sync/download/source';
import type { DownloadReport } from '../../sync/download/pipeline';
import { items } from '../treeNodes';
import { askedSession, chooseFolder, confirmPlan, planWithProgress, readSettings, showDownloadReport, type DownloadCommandDeps, type DownloadSession } from './downloadSteps';

/** Years offered: this year, the years the index knows photos from, and the ten before this one. */
export function yearChoices(thisYear: number, known: readonly number[]): number[] {
  const years = new Set<number>([thisYear, ...known.filter((y) => y > 1800 && y <= thisYear + 1)]);
  for (let y = thisYear - 1; y >= thisYear - 10; y--) years.add(y);
  return [...years].sort((a, b) => b - a);
}

export async function downloadYear(deps: DownloadCommandDeps, arg?: unknown, now = new Date()): Promise<DownloadReport | undefined> {
  const { vs } = deps;
  // Each account's library is its own: with several accounts, the user says which one.
  const session = await askedSession(deps, vs.l10n.t('Download by Year'));
  if (!session) return undefined;
  const year = typeof arg === 'number' ? arg : await pickYear(deps, session, now.getFullYear());
  if (year === undefined) return undefined;
  const folder = await chooseFolder(deps, deps.vs.l10n.t('Download {0} into…', year));
  if (!folder) return undefined;
  const { settings } = readSettings(deps);
  const run = async (full: boolean): Promise<DownloadReport | undefined> => {
    const source = yearSource(session.pipeline.provider, year);
    const plan = await planWithProgress(deps, session.pipeline, source, folder, settings, full);
    if (!plan) return undefined;
    if (plan.downloads.length === 0 && plan.notReady.length === 0) {
      const checkAll = vs.l10n.t('Check All Items');
      const more = plan.stoppedAt ? [checkAll] : [];
      const choice = await vs.window.showInformationMessage(
        plan.listed === 0
          ? vs.l10n.t('Photo Sync created no photos taken in {0} in {1} (Google lets an app list only what it uploaded).', year, session.pipeline.provider.displayName)
          : vs.l10n.t('Everything from {0} is already in {1} ({2}{3}).', year, folder, items(plan.already, vs.l10n), plan.stoppedAt ? vs.l10n.t(' checked, newest first') : ''),
        ...more,
      );
      return choice === checkAll ? run(true) : undefined;
    }
    if (!(await confirmPlan(deps, plan, String(year), folder))) return undefined;
    const report = await session.pipeline.run(plan, { title: vs.l10n.t('Downloading {0}', String(year)), onGroup: (g) => void deps.showProgress(g) });
    deps.refresh();
    void showDownloadReport(deps, report, 'Downloaded', session.pipeline.provider.displayName, report.stoppedAt ? { [vs.l10n.t('Check All Items')]: () => run(true) } : {});
    return report;
  };
  return run(false);
}

async function pickYear(deps: DownloadCommandDeps, session: DownloadSession, thisYear: number): Promise<number | undefined> {
  const { vs } = deps;
  const known = knownYears(session.index, session.accountId);
  const other = 'Another Year…';
  const picked = await vs.window.showQuickPick([...yearChoices(thisYear, known).map((y) => ({ label: String(y), description: y === thisYear ? vs.l10n.t('this year') : '' })), { label: other, description: '' }], {
    title: vs.l10n.t('Download by Year'),
    placeHolder: vs.l10n.t('Which year? Photos taken that year that Photo Sync uploaded'),
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  if (picked.label !== other) return Number(picked.label);
  const typed = await vs.window.showInputBox({
    title: vs.l10n.t('Download by Year'),
    prompt: vs.l10n.t('The year, e.g. 2019'),
    value: String(thisYear - 11),
    ignoreFocusOut: true,
    validateInput: (v) => (/^\d{4}$/.test(v.trim()) && Number(v) >= 1800 && Number(v) <= thisYear + 1 ? undefined : vs.l10n.t('Enter a year between 1800 and {0}', thisYear + 1)),
  });
  return typed ? Number(typed.trim()) : undefined;
}

/** Years of the items the index knows for the account (from uploads and earlier listings). */
function knownYears(index: PhotoIndex, accountId: string): number[] {
  return index.mediaItems.years(accountId);
}
