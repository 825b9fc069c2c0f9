// A status bar item with its own command that lasts while the extension waits for the user (the
// sign-in's paste offer, the Picker's link). VS Code cannot close a plain notification, so offers
// that must vanish when the wait ends live here; dispose removes the item and its command.
import type * as vscode from 'vscode';

export interface StatusBarOffer {
  /** Removes the status bar item and its command; safe to call more than once. */
  dispose(): void;
}

export interface StatusBarOfferOptions {
  vs: Pick<typeof vscode, 'window' | 'commands' | 'StatusBarAlignment'>;
  /** Registered only while the offer lasts; also the item's id. */
  commandId: string;
  label: string;
  /** A codicon name, shown before the label. */
  icon: string;
  tooltip: string;
  /** What a click does; not called once the offer is disposed. */
  run(isDisposed: () => boolean): Promise<unknown>;
}

export function showStatusBarOffer(options: StatusBarOfferOptions): StatusBarOffer {
  const { vs } = options;
  const item = vs.window.createStatusBarItem(options.commandId, vs.StatusBarAlignment.Left, 1000);
  item.name = options.label;
  item.text = `$(${options.icon}) ${options.label}`;
  item.tooltip = options.tooltip;
  item.command = { command: options.commandId, title: options.label };
  let disposed = false;
  const isDisposed = () => disposed;
  const command = vs.commands.registerCommand(options.commandId, () => (disposed ? undefined : options.run(isDisposed)));
  item.show();
  return {
    dispose: () => {
      if (disposed) return;
      disposed = true;
      item.dispose();
      command.dispose();
    },
  };
}
