// Import from Google Photos… (palette, the sidebar's title bar, a folder's Explorer menu): a Picker
// session opens Google Photos in the browser, a cancellable progress notification waits while the user
// picks (Cancel deletes the session) and a status bar item opens the picker again or copies its link;
// both end with the waiting, so nothing stale stays. Then what was picked downloads into the folder
// with the queue's progress. The Picker scope is asked for here, the first time (incremental consent).
import type * as vscode from 'vscode';
import type { ImportResult } from '../../sync/picker/flow';
import { offerPickerLink, type PickerLinkOffer } from '../pickerLinkOffer';
import { askedSession, chooseFolder, readSettings, showDownloadReport, type DownloadCommandDeps } from './downloadSteps';

export const PICK_WAITING_MESSAGE = 'Waiting for you to pick photos in Google Photos…';
const PICK_OPEN_LINK_MESSAGE = 'Open the Google Photos Picker link (status bar) in a browser signed in to your Google account, pick photos there, then press Done.';

export async function pickFromGooglePhotos(deps: DownloadCommandDeps, uri?: vscode.Uri): Promise<ImportResult | undefined> {
  const { vs } = deps;
  const folder = uri?.fsPath ?? (await chooseFolder(deps, vs.l10n.t('Import from Google Photos into…')));
  if (!folder) return undefined;
  // The Picker shows one account's library: with several signed in, the user says whose.
  const session = await askedSession(deps, vs.l10n.t('Import from Google Photos'));
  if (!session) return undefined;
  const { settings, maxPickerItems } = readSettings(deps);
  const abort = new AbortController();
  // The waiting notification lasts until the user pressed Done (or gave up); downloads have their own.
  // The status bar item with the link lasts exactly as long as the waiting.
  let offer: PickerLinkOffer | undefined;
  let resolveWait: () => void = () => undefined;
  const endWait = () => {
    offer?.dispose();
    resolveWait();
  };
  let report: (message: string) => void = () => undefined;
  const waited = new Promise<void>((resolve) => (resolveWait = resolve));
  const waiting = vs.window.withProgress({ location: vs.ProgressLocation.Notification, title: vs.l10n.t('Import from Google Photos'), cancellable: true }, (progress, token) => {
    progress.report({ message: vs.l10n.t('Starting a picking session…') });
    token.onCancellationRequested(() => abort.abort());
    report = (message) => progress.report({ message });
    return waited;
  });
  let result: ImportResult;
  try {
    result = await session.picker.import({
      folder,
      settings,
      maxItemCount: maxPickerItems,
      signal: abort.signal,
      onSession: async (info) => {
        if (abort.signal.aborted) return;
        offer = offerPickerLink(vs, info.pickUrl);
        report(vs.l10n.t(PICK_WAITING_MESSAGE));
        const opened = await vs.env.openExternal(vs.Uri.parse(info.pickUrl, true));
        if (!opened) report(vs.l10n.t(PICK_OPEN_LINK_MESSAGE));
      },
      onPicked: () => endWait(),
      onGroup: (group) => void deps.showProgress(group),
    });
  } catch (err) {
    deps.log.error(err as Error);
    void vs.window.showErrorMessage(vs.l10n.t('Import from Google Photos failed: {0}', (err as Error).message));
    return undefined;
  } finally {
    endWait();
    await waiting;
    deps.refresh();
  }
  switch (result.kind) {
    case 'imported':
      void showDownloadReport(deps, result.report, 'Imported', 'Google Photos', result.report.stopped || result.report.interrupted ? { [vs.l10n.t('Retry')]: () => retryLeftovers(deps, session.accountId) } : {});
      break;
    case 'nothing-picked':
      void vs.window.showInformationMessage(vs.l10n.t('Nothing was picked in Google Photos, so nothing was imported.'));
      break;
    case 'expired':
      void vs.window.showWarningMessage(
        result.why === 'time-ran-out'
          ? vs.l10n.t('The time to pick in Google Photos ran out before you pressed Done; nothing was imported. Run Import from Google Photos again.')
          : vs.l10n.t('The picking session ended (it expired or was closed) before you pressed Done; nothing was imported. Run Import from Google Photos again.'),
      );
      break;
    default:
      break;
  }
  return result;
}

/**
 * Retry after a stop (disk full, signed out): finishes the imports whose sessions are still open — those
 * of the account the import was for (its sessions, its token), not the default account's.
 */
async function retryLeftovers(deps: DownloadCommandDeps, accountId: string): Promise<void> {
  const session = await deps.session(accountId);
  if (!session) return;
  const outcome = await session.picker.finishLeftovers(readSettings(deps).settings, { onGroup: (g) => void deps.showProgress(g) });
  deps.refresh();
  for (const { report } of outcome.finished) void showDownloadReport(deps, report, 'Imported', 'Google Photos');
  if (outcome.finished.length === 0) void deps.vs.window.showInformationMessage(deps.vs.l10n.t('Nothing was left to finish: the picking session has ended. Run Import from Google Photos again.'));
}
