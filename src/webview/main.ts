// Entry of the preview webview (bundled to dist/webview.js). The host says which mode to show in
// its first message; the page asks for it with "ready" (again after every reload of the page).
import './styles.css';
import './l10nSetup';
import { decodeToJpeg } from './decodeImage';
import { GridView } from './gridView';
import { Messenger } from './messenger';
import { toBytes, type HostToWebview, type WebviewToHost } from './protocol';
import { ReviewView } from './reviewView';
import { getVsCodeApi } from './vscodeApi';
import { markOnce } from './dom';

// Timing marks of the first screen (read by the e2e test that measures the first paint).
performance.mark('photoSync:script');
const api = getVsCodeApi();
const messenger = new Messenger<WebviewToHost, HostToWebview>(
  (message) => api.postMessage(message),
  (error) => console.error('Photo Sync preview:', error),
);
window.addEventListener('message', (event: MessageEvent) => messenger.receive(event.data));

messenger.onRequest('decodeImage', async ({ id, bytes, mimeType, maxSize, orientation }) => {
  const data = toBytes(bytes);
  if (!data) throw new Error('No image bytes');
  markOnce('photoSync:firstDecodeAsked');
  const decoded = await decodeToJpeg(data, mimeType, maxSize, orientation);
  markOnce('photoSync:firstDecoded');
  // Shown at once from here; the host's cached copy replaces it when its URL comes.
  if (shown instanceof GridView) shown.showDecoded(id, decoded.jpeg);
  return decoded;
});

const root = document.getElementById('app') as HTMLElement;
let shown: GridView | ReviewView | undefined;
messenger.onNotification('initGrid', (init) => {
  markOnce('photoSync:initGrid');
  shown ??= new GridView(root, init, messenger, api);
  root.removeAttribute('aria-busy');
});
messenger.onNotification('initReview', ({ title }) => {
  shown ??= new ReviewView(root, title, messenger, api);
  root.removeAttribute('aria-busy');
});
// A failure before the first screen (the host could not list the items) is shown, not a blank page.
messenger.onNotification('notice', ({ message }) => {
  if (shown) return;
  root.removeAttribute('aria-busy');
  const notice = document.createElement('div');
  notice.className = 'notice error';
  notice.textContent = message;
  root.replaceChildren(notice);
});
void messenger.notify('ready', {});
