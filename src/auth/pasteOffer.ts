// The "paste the redirect address" fallback of a browser sign-in (Google's loopback flow, Flickr's
// OAuth 1.0a callback), for windows whose browser cannot reach the loopback listener (remote or
// web). VS Code cannot close a plain notification, so the offer is not one: the sign-in's own
// progress notification carries the hint and a status bar item is the button. Both end with the
// sign-in — the item and its command are disposed when the flow settles, so nothing stale is left.
import type * as vscode from 'vscode';
import { showStatusBarOffer, type StatusBarOffer } from '../util/statusBarOffer';

export interface PasteOfferOptions {
  vs: Pick<typeof vscode, 'window' | 'commands' | 'StatusBarAlignment'>;
  /** Command id registered only while the offer lasts, e.g. `photoSync.google.pasteRedirect`. */
  commandId: string;
  /** Status bar text, e.g. "Paste Sign-In Address…". */
  label: string;
  tooltip: string;
  /** The input box shown when the item is clicked. */
  input: { title: string; prompt: string; placeHolder?: string; invalid: string };
  parse(text: string): URLSearchParams | undefined;
  /** True once the sign-in finished (answered, failed or cancelled). */
  finished(): boolean;
  deliver(params: URLSearchParams): Promise<unknown>;
}

export type PasteOffer = StatusBarOffer;

/** Shows the status bar item (and registers its command) until disposed. */
export function offerPaste(options: PasteOfferOptions): PasteOffer {
  const { vs } = options;
  let asking = false;
  return showStatusBarOffer({
    vs,
    commandId: options.commandId,
    label: options.label,
    icon: 'clippy',
    tooltip: options.tooltip,
    run: async () => {
      if (asking || options.finished()) return;
      asking = true;
      try {
        const pasted = await vs.window.showInputBox({
          title: options.input.title,
          prompt: options.input.prompt,
          placeHolder: options.input.placeHolder,
          password: true,
          ignoreFocusOut: true,
          validateInput: (value) => (options.parse(value) ? undefined : options.input.invalid),
        });
        const params = pasted ? options.parse(pasted) : undefined;
        if (params && !options.finished()) await options.deliver(params);
      } finally {
        asking = false;
      }
    },
  });
}
