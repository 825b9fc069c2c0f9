// While an Import from Google Photos waits for the user to pick: a status bar item that opens the
// picker again or copies its link (for another browser or device). VS Code cannot close a plain
// notification, so the offer is not one — the waiting is a progress notification that ends, and
// this item and its command are disposed when the waiting ends (Done, Cancel, expiry or failure):
// after Done the link no longer works, so nothing may keep offering it.
import type * as vscode from 'vscode';
import { showStatusBarOffer, type StatusBarOffer } from '../util/statusBarOffer';

export type PickerLinkVs = Pick<typeof vscode, 'window' | 'commands' | 'env' | 'Uri' | 'StatusBarAlignment' | 'l10n'>;

/** Prefix of the command the item runs; one per waiting import (two windows' imports may overlap). */
export const PICKER_LINK_COMMAND = 'photoSync.pickerLink';
export const PICKER_LINK_LABEL = 'Google Photos Picker';
const PICKER_LINK_OPEN = 'Open Google Photos Again';
const PICKER_LINK_COPY = 'Copy Link';

export type PickerLinkOffer = StatusBarOffer;

let offers = 0;

/** Shows the status bar item for `pickUrl` (and registers its command) until disposed. */
export function offerPickerLink(vs: PickerLinkVs, pickUrl: string): PickerLinkOffer {
  const label = vs.l10n.t(PICKER_LINK_LABEL);
  return showStatusBarOffer({
    vs,
    commandId: `${PICKER_LINK_COMMAND}.${++offers}`,
    label,
    icon: 'link-external',
    tooltip: vs.l10n.t('Waiting for you to pick photos in Google Photos. Click to open it again, or to copy its link for another browser or device.'),
    run: async (isDisposed) => {
      const open = vs.l10n.t(PICKER_LINK_OPEN);
      const copy = vs.l10n.t(PICKER_LINK_COPY);
      const choice = await vs.window.showQuickPick([open, copy], { title: label, placeHolder: vs.l10n.t('The link works only for your Google account and until you press Done.') });
      if (isDisposed() || !choice) return;
      if (choice === copy) {
        await vs.env.clipboard.writeText(pickUrl);
        vs.window.setStatusBarMessage(vs.l10n.t('Google Photos link copied.'), 4000);
      } else await vs.env.openExternal(vs.Uri.parse(pickUrl, true));
    },
  });
}
