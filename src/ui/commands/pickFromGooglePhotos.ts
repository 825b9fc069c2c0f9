// Import from Google Photos… (palette, the sidebar's title bar, a folder's Explorer menu): a Picker
// session opens Google Photos in the browser, a cancellable notification waits while the user picks
// ("Copy Link" for another browser), then what was picked downloads into the folder with the queue's
// progress. The Picker scope is asked for here, the first time (incremental consent).
import type * as vscode from 'vscode';
import type { ImportResult } from '../../sync/picker/flow';
import type { PickingSessionInfo } from '../../sync/picker/service';
import { askedSession, chooseFolder, readSettings, showDownloadReport, type DownloadCommandDeps } from './downloadSteps';

export const PICK_WAITING_MESSAGE = 'Waiting for you to pick photos in your browser…';

export async function pickFromGooglePhotos(deps: DownloadCommandDeps, uri?: vscode.Uri): Promise<ImportResult | undefined> {
  const { vs } = deps;
  const folder = uri?.fsPath ?? (await chooseFolder(deps, 'Import from Google Photos into…'));
  if (!folder) return undefined;
  // The Picker shows one account's library: with several signed in, the user says whose.
  const session = await askedSession(deps, vs.l10n.t('Import from Google Photos'));
  if (!session) return undefined;
  const { settings, maxPickerItems } = readSettings(deps);
  const abort = new AbortController();
  // The waiting notification lasts until the user pressed Done (or gave up); downloads have their own.
  let endWait: () => void = () => undefined;
  let onSessionShown: () => void = () => undefined;
  const waited = new Promise<void>((resolve) => (endWait = resolve));
  const waiting = vs.window.withProgress({ location: vs.ProgressLocation.Notification, title: vs.l10n.t('Import from Google Photos'), cancellable: true }, (progress, token) => {
    progress.report({ message: vs.l10n.t('Starting a picking session…') });
    token.onCancellationRequested(() => abort.abort());
    onSessionShown = () => progress.report({ message: vs.l10n.t(PICK_WAITING_MESSAGE) });
    return waited;
  });
  let result: ImportResult;
  try {
    result = await session.picker.import({
      folder,
      settings,
      maxItemCount: maxPickerItems,
      signal: abort.signal,
      onSession: (info) => openPicker(deps, info, onSessionShown),
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
      void showDownloadReport(deps, result.report, 'Imported', 'Google Photos', result.report.stopped || result.report.interrupted ? { Retry: () => retryLeftovers(deps) } : {});
      break;
    case 'nothing-picked':
      void vs.window.showInformationMessage(vs.l10n.t('Nothing was picked in Google Photos, so nothing was imported.'));
      break;
    case 'expired':
      void vs.window.showWarningMessage(result.message);
      break;
    default:
      break;
  }
  return result;
}

/** Sends the user to Google Photos; "Copy Link" for picking in another browser or on another device. */
async function openPicker(deps: DownloadCommandDeps, info: PickingSessionInfo, shown: () => void): Promise<void> {
  const { vs } = deps;
  shown();
  const uri = vs.Uri.parse(info.pickUrl, true);
  const opened = await vs.env.openExternal(uri);
  const message = opened
    ? 'Google Photos opened in your browser: pick photos and videos there, then press Done.'
    : 'Open this link in a browser signed in to your Google account, pick photos there, then press Done.';
  void vs.window.showInformationMessage(message, vs.l10n.t('Copy Link'), vs.l10n.t('Open Again')).then(async (choice) => {
    if (choice === vs.l10n.t('Copy Link')) {
      await vs.env.clipboard.writeText(info.pickUrl);
      void vs.window.showInformationMessage(vs.l10n.t('Link copied. It works only for your Google account and until you press Done.'));
    } else if (choice === vs.l10n.t('Open Again')) await vs.env.openExternal(uri);
  });
}

/** Retry after a stop (disk full, signed out): finishes the imports whose sessions are still open. */
async function retryLeftovers(deps: DownloadCommandDeps): Promise<void> {
  const session = await deps.session();
  if (!session) return;
  const outcome = await session.picker.finishLeftovers(readSettings(deps).settings, { onGroup: (g) => void deps.showProgress(g) });
  deps.refresh();
  for (const { report } of outcome.finished) void showDownloadReport(deps, report, 'Imported', 'Google Photos');
  if (outcome.finished.length === 0) void deps.vs.window.showInformationMessage(deps.vs.l10n.t('Nothing was left to finish: the picking session has ended. Run Import from Google Photos again.'));
}
