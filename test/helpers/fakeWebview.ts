// A stand-in for a VS Code Webview (and the panel around it) for the preview tests: messages are
// structured-cloned and delivered asynchronously, as VS Code's postMessage does, to a real
// webview-side Messenger (or to a browser page in the integration test).
import type * as vscode from 'vscode';
import { Messenger } from '../../src/webview/messenger';
import type { Envelope, HostToWebview, WebviewToHost } from '../../src/webview/protocol';
import type { AttachDeps, PreviewWebview } from '../../src/preview/panel';
import { EventEmitter, Uri } from './vscodeFake';

export const RESOURCE_ORIGIN = 'https://file+.vscode-resource.vscode-cdn.net';

export class FakeWebview {
  html = '';
  cspSource: string;
  /** Everything the host posted, in order. */
  readonly posted: Envelope[] = [];
  private readonly fromPage = new EventEmitter<unknown>();
  readonly onDidReceiveMessage = this.fromPage.event;
  /** Where posted messages go (the webview side); postMessage settles when this does. */
  deliver: (message: Envelope) => void | Promise<void> = () => undefined;

  /** `resourcePrefix`: what asWebviewUri puts before a file's path (the origin, or a server's route). */
  constructor(origin = RESOURCE_ORIGIN, private readonly resourcePrefix = origin) {
    this.cspSource = origin;
  }

  asWebviewUri(uri: Uri): Uri {
    return Uri.parse(`${this.resourcePrefix}${uri.path}`);
  }

  async postMessage(message: Envelope): Promise<boolean> {
    const copy = structuredClone(message);
    this.posted.push(copy);
    await new Promise((r) => setImmediate(r));
    await this.deliver(copy);
    return true;
  }

  /** A message from the page to the host. */
  send(message: unknown): void {
    const copy = structuredClone(message);
    setImmediate(() => this.fromPage.fire(copy));
  }

  asWebview(): PreviewWebview {
    return this as unknown as PreviewWebview;
  }

  /** A webview-side messenger talking to the host through this fake. */
  connectMessenger(): Messenger<WebviewToHost, HostToWebview> {
    const messenger = new Messenger<WebviewToHost, HostToWebview>((m) => this.send(m));
    this.deliver = (m) => messenger.receive(m);
    return messenger;
  }
}

export const fakeUri = Uri as unknown as AttachDeps['Uri'];
export const extensionUri = Uri.file('/ext/photo-sync') as unknown as vscode.Uri;

/** Resolves once `predicate` holds, polling the event loop (fails after `ms`). */
export async function until(predicate: () => boolean, ms = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}
