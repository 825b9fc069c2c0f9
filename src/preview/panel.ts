// The public face of the preview: open a panel showing a thumbnail grid or the pre-upload review.
// `vscode` is a type here; the wiring passes the few runtime pieces (window, commands, Uri).
import type * as vscode from 'vscode';
import { nullLogger, type Logger } from '../util/logger';
import { Messenger } from '../webview/messenger';
import type { HostToWebview, WebviewToHost } from '../webview/protocol';
import type { GridSource } from './gridSource';
import { GridSession } from './gridSession';
import { createNonce, renderPanelHtml } from './panelHtml';
import { displayLanguage } from '../util/format';
import { ReviewSession, type ReviewPlanData, type ReviewSource } from './reviewSession';
import type { ThumbnailCache } from './thumbnailCache';

export const PREVIEW_VIEW_TYPE = 'photoSync.preview';

export type PreviewVs = Pick<typeof vscode, 'window' | 'commands' | 'Uri' | 'ViewColumn' | 'l10n'>;

export type PreviewSource = { mode: 'grid'; source: GridSource } | { mode: 'review'; source: ReviewSource };

export interface PreviewDeps {
  /** context.extensionUri: dist/webview.js and dist/webview.css are loaded from it. */
  extensionUri: vscode.Uri;
  /** ThumbnailCache.open(<globalStorage>/thumbnails): shared by every panel. */
  cache: ThumbnailCache;
  log?: Logger;
}

/** The webview members the preview uses: a WebviewPanel's webview, or a test's stand-in. */
export type PreviewWebview = Pick<vscode.Webview, 'cspSource' | 'asWebviewUri' | 'postMessage' | 'onDidReceiveMessage' | 'html'>;

export interface AttachDeps extends PreviewDeps {
  Uri: Pick<typeof vscode.Uri, 'file' | 'joinPath'>;
  openImage(fsPath: string): Promise<void>;
  /** The review handed its files to the upload: e.g. close the panel. */
  onUploadStarted?: () => void;
  /** "Check Capture Dates…" in the review, for this sync folder. */
  checkDates?: (folder: string) => void;
  /** vscode.l10n.bundle: the webview's words in the user's language (undefined in English). */
  l10nBundle?: { [key: string]: string };
  /** vscode.l10n: the host's words in the page (notices, thumbnail problems). */
  l10n?: Pick<typeof vscode.l10n, 't'>;
}

export interface AttachedPreview {
  /** Renders the page again, with a new nonce (what a WebviewPanelSerializer would call). */
  render(): void;
  /** Grid: show these item ids as deleted (e.g. from a file watcher). */
  markGone(ids: string[]): void;
  /** Review: replace the plan shown (scroll position and selection are kept). */
  showPlan(plan: ReviewPlanData): Promise<void>;
  /** Aborts outstanding work (thumbnails, decodes, planning) and stops listening. */
  dispose(): void;
}

export interface PreviewPanel extends AttachedPreview {
  readonly panel: vscode.WebviewPanel;
}

/** Scripts on, and the webview may load only the extension's dist/media folders and the thumbnail cache. */
export function previewWebviewOptions(Uri: AttachDeps['Uri'], extensionUri: vscode.Uri, cacheDir: string): vscode.WebviewPanelOptions & vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableFindWidget: false,
    localResourceRoots: [Uri.joinPath(extensionUri, 'dist'), Uri.joinPath(extensionUri, 'media'), Uri.file(cacheDir)],
  };
}

export function openPreviewPanel(vs: PreviewVs, deps: PreviewDeps, preview: PreviewSource, viewColumn?: vscode.ViewColumn): PreviewPanel {
  const panel = vs.window.createWebviewPanel(
    PREVIEW_VIEW_TYPE,
    preview.source.title,
    viewColumn ?? vs.ViewColumn.Active,
    previewWebviewOptions(vs.Uri, deps.extensionUri, deps.cache.dir),
  );
  const attached = attachPreview(
    panel.webview,
    {
      ...deps,
      Uri: vs.Uri,
      openImage: async (fsPath) => {
        await vs.commands.executeCommand('vscode.open', vs.Uri.file(fsPath), { preview: true, viewColumn: vs.ViewColumn.Beside });
      },
      onUploadStarted: () => panel.dispose(),
      checkDates: (folder) => void vs.commands.executeCommand('photoSync.fixDates', vs.Uri.file(folder)),
      l10nBundle: vs.l10n.bundle,
      l10n: vs.l10n,
    },
    preview,
  );
  panel.onDidDispose(() => attached.dispose());
  return { ...attached, panel };
}

export function attachPreview(webview: PreviewWebview, deps: AttachDeps, preview: PreviewSource): AttachedPreview {
  const log = deps.log ?? nullLogger;
  const controller = new AbortController();
  const messenger = new Messenger<HostToWebview, WebviewToHost>(
    (message) => webview.postMessage(message).then(undefined, (e: unknown) => log.debug(`Preview: postMessage failed: ${String(e)}`)),
    (e) => log.error(e instanceof Error ? e : String(e)),
  );
  const listening = webview.onDidReceiveMessage((message: unknown) => messenger.receive(message));
  const common = { messenger, log, signal: controller.signal, l10n: deps.l10n };
  const grid =
    preview.mode === 'grid'
      ? new GridSession(preview.source, {
          ...common,
          cache: deps.cache,
          toWebviewUrl: (fsPath) => webview.asWebviewUri(deps.Uri.file(fsPath)).toString(),
          openImage: deps.openImage,
        })
      : undefined;
  const review = preview.mode === 'review' ? new ReviewSession(preview.source, { ...common, onUploadStarted: deps.onUploadStarted, checkDates: deps.checkDates }) : undefined;

  const render = () => {
    webview.html = renderPanelHtml({
      cspSource: webview.cspSource,
      scriptUrl: webview.asWebviewUri(deps.Uri.joinPath(deps.extensionUri, 'dist', 'webview.js')).toString(),
      styleUrl: webview.asWebviewUri(deps.Uri.joinPath(deps.extensionUri, 'dist', 'webview.css')).toString(),
      title: preview.source.title,
      nonce: createNonce(),
      l10nBundle: deps.l10nBundle,
      language: displayLanguage(),
    });
  };
  render();

  return {
    render,
    markGone: (ids) => grid?.markGone(ids),
    showPlan: async (plan) => {
      await review?.showPlan(plan);
    },
    dispose: () => {
      controller.abort();
      messenger.close();
      listening.dispose();
    },
  };
}
