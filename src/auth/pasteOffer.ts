// The "paste the redirect address" fallback of a browser sign-in (Google's loopback flow, Flickr's
// OAuth 1.0a callback), for windows whose browser cannot reach the loopback listener (remote or
// web). VS Code cannot close a plain notification, so the offer is not one: the sign-in's own
// progress notification carries the hint and a status bar item is the button. Both end with the
// sign-in — the item and its command are disposed when the flow settles, so nothing stale is left.
import type * as vscode from 'vscode';

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

export interface PasteOffer {
  /** Removes the status bar item and its command; safe to call more than once. */
  dispose(): void;
}

/** Shows the status bar item (and registers its command) until disposed. */
export function offerPaste(options: PasteOfferOptions): PasteOffer {
  const { vs } = options;
  const item = vs.window.createStatusBarItem(options.commandId, vs.StatusBarAlignment.Left, 1000);
  item.name = options.label;
  item.text = `$(clippy) ${options.label}`;
  item.tooltip = options.tooltip;
  item.command = { command: options.commandId, title: options.label };
  let asking = false;
  const command = vs.commands.registerCommand(options.commandId, async () => {
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
  });
  item.show();
  let disposed = false;
  return {
    dispose: () => {
      if (disposed) return;
      disposed = true;
      item.dispose();
      command.dispose();
    },
  };
}
