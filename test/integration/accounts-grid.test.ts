// The thumbnail grid of an album with two Google accounts signed in, driven as VS Code drives it: the
// preview activation (activation/preview.ts) wired to the sync activation's sessions as extension.ts
// does, Show Thumbnails on the album row, the panel's webview answered by a page-side messenger (ready,
// getItems, wantThumbnails). The second account's album fetches its addresses with that account's
// token (the emulator logs whose request got each address and whose token came with each fetch) and
// the thumbnails land in the cache under global storage; another account's session gets nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import type * as vscode from 'vscode';
import { activatePreview, type PreviewModuleDeps } from '../../src/activation/preview';
import { PROVIDER_ID } from '../../src/destinations/googlePhotos/rules';
import { ItemGoneError } from '../../src/preview/gridSource';
import { remoteAlbumSource } from '../../src/preview/remoteAlbum';
import { ThumbnailCache } from '../../src/preview/thumbnailCache';
import type { Messenger } from '../../src/webview/messenger';
import type { HostToWebview, ThumbnailResult, WebviewToHost } from '../../src/webview/protocol';
import { FakeWebview, until } from '../helpers/fakeWebview';
import { Disposable, EventEmitter, Uri } from '../helpers/vscodeFake';
import { openWindow, withEmulator } from '../unit/auth-support';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { nullLogger } from '../../src/util/logger';
import { waitFor } from './sync-harness';
import { ANN, BEN, libraries, sha, syncWindow, signInBoth } from './accounts-harness';

type Page = Messenger<WebviewToHost, HostToWebview>;

/** Opens the grid's page on a panel: ready → initGrid, then asks for every item's thumbnail and waits for all of them. */
async function showGrid(webview: FakeWebview): Promise<{ title: string; names: string[]; results: Map<string, ThumbnailResult> }> {
  const page: Page = webview.connectMessenger();
  const results = new Map<string, ThumbnailResult>();
  let init: { title: string; total: number } | undefined;
  page.onNotification('initGrid', (p) => void (init = p));
  page.onNotification('thumbnails', (p) => p.results.forEach((r) => results.set(r.id, r)));
  // An item whose address cannot be had (another account's session) turns "gone": an answer too.
  page.onNotification('itemsGone', (p) => p.ids.forEach((id) => results.set(id, { id, error: 'gone: no address for this item' })));
  void page.notify('ready', {});
  await until(() => init !== undefined, 10_000, 'initGrid');
  const { items } = await page.request('getItems', { start: 0, end: init?.total ?? 0 });
  void page.notify('wantThumbnails', { ids: items.map((i) => i.id) });
  await until(() => items.every((i) => results.has(i.id)), 20_000, 'every thumbnail');
  return { title: init?.title ?? '', names: items.map((i) => i.name).sort(), results };
}

type SyncWin = Awaited<ReturnType<typeof syncWindow>>;
type Panel = { webview: FakeWebview; title: string; dispose(): void };

/** The preview activation wired as extension.ts wires it (the sync activation's sessions, Google's accounts); its panels are fake webviews the test answers. */
function wirePreview(win: SyncWin, w: Awaited<ReturnType<typeof openWindow>>, storage: string, panels: Panel[], window: Record<string, unknown> = {}): { dispose(): void } {
  const vs = {
    ...win.vs,
    ViewColumn: { Active: -1, Beside: -2 },
    window: {
      ...win.vs.window,
      createWebviewPanel: (_type: string, title: string) => {
        const disposed = new EventEmitter<void>();
        const panel = { webview: new FakeWebview(), title, onDidDispose: disposed.event, dispose: () => disposed.fire() };
        panels.push(panel);
        return panel;
      },
      ...window,
    },
    workspace: { ...win.vs.workspace, createFileSystemWatcher: () => ({ onDidDelete: () => new Disposable(() => undefined), dispose: () => undefined }) },
  } as unknown as PreviewModuleDeps['vs'];
  return activatePreview({
    vs,
    context: { extensionUri: Uri.file('/ext/photo-sync'), globalStorageUri: Uri.file(storage) } as unknown as Pick<vscode.ExtensionContext, 'extensionUri' | 'globalStorageUri'>,
    log: nullLogger,
    session: win.session,
    accounts: () => w.provider.accounts,
  });
}

test('two accounts: Show Thumbnails on the second account’s album fetches its addresses with that account’s token, caches its 256 px crops; the first account’s album with its own; another account’s session gets no thumbnail', () =>
  withEmulator(async (emu, control) => {
    const w = await openWindow(emu);
    const win = await syncWindow(emu, w);
    const storage = await tempDir('photosync-grid-storage-');
    const panels: Panel[] = [];
    let preview: { dispose(): void } | undefined;
    try {
      await signInBoth(w);
      const root = await tempDir();
      const a = path.join(root, 'A');
      const b = path.join(root, 'B');
      const files = { a: { 'a1.jpg': makeJpeg(801, undefined, 320), 'a2.jpg': makeJpeg(802, undefined, 320) }, b: { 'b1.jpg': makeJpeg(811, undefined, 320), 'b2.jpg': makeJpeg(812, undefined, 320), 'b3.jpg': makeJpeg(813, undefined, 320) } };
      await writeTree(a, files.a);
      await writeTree(b, files.b);
      win.settings.set('photoSync.folders', [
        { path: a, album: { mode: 'fixed', name: 'Ann' }, account: ANN },
        { path: b, album: { mode: 'fixed', name: 'Ben' }, account: BEN },
      ]);
      await win.run('photoSync.syncNow');
      await waitFor('both folders uploaded', async () => [...(await libraries(control)).values()].flat().length === 5);
      const state = await control.state();
      const subOf = (email: string) => state.users.find((u) => u.email === email)?.sub as string;
      const itemsOf = (email: string) => state.mediaItems.filter((m) => !m.seeded && m.userSub === subOf(email));
      assert.deepEqual(itemsOf(BEN).map((m) => m.filename).sort(), ['b1.jpg', 'b2.jpg', 'b3.jpg']);

      // The preview wired as extension.ts wires it: its panels are fake webviews this test answers.
      preview = wirePreview(win, w, storage, panels);

      // Show Thumbnails on Ben's album row (the sidebar's Albums › photo.sync.tester2 › Ben).
      const albumsRow = (await win.tree.getChildren()).find((n) => n.id === 'photoSync.albums');
      assert.ok(albumsRow);
      const [annRow, benRow] = await win.tree.getChildren(albumsRow);
      const benAlbumRow = (await win.tree.getChildren(benRow))[0];
      const annAlbumRow = (await win.tree.getChildren(annRow))[0];
      assert.equal(String(win.tree.getTreeItem(benAlbumRow).label), 'Ben');
      const fetchesBefore = state.mediaFetches.length;
      await win.run('photoSync.showPreview', { id: benAlbumRow.id });
      await until(() => panels.length === 1, 5000, 'the panel');
      const ben = await showGrid(panels[0].webview);
      assert.equal(ben.title, 'Ben');
      assert.deepEqual(ben.names, ['b1.jpg', 'b2.jpg', 'b3.jpg']);
      assert.deepEqual([...ben.results.values()].filter((r) => r.error), [], 'no thumbnail failed');

      // The cache under global storage holds Google's 256×256 crop of each of Ben's photos, under its sha256.
      const cacheDir = path.join(storage, 'thumbnails');
      for (const [name, bytes] of Object.entries(files.b)) {
        const file = path.join(cacheDir, ThumbnailCache.fileName(`sha256:${sha(bytes)}`, 256));
        const img = jpeg.decode(await fs.readFile(file), { useTArray: true });
        assert.deepEqual([img.width, img.height], [256, 256], `${name}: a 256 px crop in the cache`);
        assert.ok(ben.results.get(itemsOf(BEN).find((m) => m.sha256 === sha(bytes))?.id ?? '')?.url?.endsWith(path.basename(file)), `${name}: the webview got the cached file`);
      }

      // The emulator: each thumbnail fetch was of an address Ben's request got, for Ben's item; nothing by Ann.
      const afterBen = (await control.state()).mediaFetches.slice(fetchesBefore);
      assert.deepEqual(
        afterBen.map((f) => [f.mediaItemId, f.params, f.owner, f.obtainedBy, f.status]).sort(),
        itemsOf(BEN)
          .map((m) => [m.id, 'w256-h256-c', subOf(BEN), subOf(BEN), 200])
          .sort(),
      );

      // Ann's album, from its own row: Ann's addresses, Ann's items.
      await win.run('photoSync.showPreview', { id: annAlbumRow.id });
      await until(() => panels.length === 2, 5000, 'the second panel');
      const ann = await showGrid(panels[1].webview);
      assert.deepEqual(ann.names, ['a1.jpg', 'a2.jpg']);
      const afterAnn = (await control.state()).mediaFetches.slice(fetchesBefore + afterBen.length);
      assert.deepEqual(afterAnn.map((f) => [f.owner, f.obtainedBy, f.status]), [
        [subOf(ANN), subOf(ANN), 200],
        [subOf(ANN), subOf(ANN), 200],
      ]);

      // What a wrong-account grid would meet: Ann's session cannot get addresses for Ben's items (so no
      // thumbnail, no cache file), and Ann's token does not open an address of Ben's.
      const annSession = await win.session(PROVIDER_ID, ANN);
      const benAlbum = state.albums.find((x) => x.title === 'Ben')?.id;
      assert.ok(annSession && benAlbum);
      const { source: wrong } = remoteAlbumSource({
        title: 'Ben',
        provider: annSession.pipeline.provider,
        count: () => win.index.mediaItems.countInAlbum(benAlbum),
        page: (offset, limit) => win.index.mediaItems.inAlbum(benAlbum, { offset, limit }).items,
        downloadDir: await tempDir(),
      });
      const signal = new AbortController().signal;
      const [first] = await wrong.page(0, 1, signal);
      await assert.rejects(wrong.thumbnail(first, 256, signal), ItemGoneError);
      const benAddress = afterBen[0];
      const annToken = (await control.state()).tokens.access.find((t) => t.userSub === subOf(ANN) && !t.revoked)?.token;
      const benItem = await fetch(`${emu.endpoints.library}/v1/mediaItems/${benAddress.mediaItemId}`, { headers: { Authorization: `Bearer ${(await control.state()).tokens.access.find((t) => t.userSub === subOf(BEN) && !t.revoked)?.token}` } }).then((r) => r.json() as Promise<{ baseUrl: string }>);
      assert.equal((await fetch(`${benItem.baseUrl}=w256-h256-c`, { headers: { Authorization: `Bearer ${annToken}` } })).status, 403, 'Ann’s token does not open Ben’s address');
      assert.equal((await control.state()).mediaFetches.at(-1)?.bearer, subOf(ANN));
    } finally {
      preview?.dispose();
      await new Promise((r) => setTimeout(r, 500)); // the last request counts reach the index
      await win.close();
    }
  }));

test('two accounts, each with an album “Trip”: Show Thumbnails from the palette names each album’s account, and the one picked opens with its own account’s items', () =>
  withEmulator(async (emu, control) => {
    const w = await openWindow(emu);
    const win = await syncWindow(emu, w);
    const storage = await tempDir('photosync-grid-storage-');
    const panels: Panel[] = [];
    let preview: { dispose(): void } | undefined;
    try {
      await signInBoth(w);
      const root = await tempDir();
      const a = path.join(root, 'A');
      const b = path.join(root, 'B');
      await writeTree(a, { 'a1.jpg': makeJpeg(821, undefined, 320) });
      await writeTree(b, { 'b1.jpg': makeJpeg(831, undefined, 320), 'b2.jpg': makeJpeg(832, undefined, 320) });
      win.settings.set('photoSync.folders', [
        { path: a, album: { mode: 'fixed', name: 'Trip' }, account: ANN },
        { path: b, album: { mode: 'fixed', name: 'Trip' }, account: BEN },
      ]);
      await win.run('photoSync.syncNow');
      await waitFor('both folders uploaded', async () => [...(await libraries(control)).values()].flat().length === 3);
      const state = await control.state();
      assert.equal(state.albums.filter((x) => x.title === 'Trip').length, 2, 'an album “Trip” in each library');

      // The palette's list: what the user reads of each entry, and the entry picked by its account.
      let shown: { label: string; description?: string; detail?: string }[] = [];
      const showQuickPick = async <T extends { label: string; description?: string }>(items: readonly T[] | Promise<readonly T[]>) => {
        shown = [...(await items)];
        return shown.find((i) => i.label.endsWith(' Trip') && i.description?.includes(BEN));
      };
      preview = wirePreview(win, w, storage, panels, { showQuickPick });
      await win.run('photoSync.showPreview');
      const trips = shown.filter((i) => i.label === '$(folder-library) Trip').map((i) => [i.description, i.detail]);
      assert.deepEqual(trips.sort(), [
        [`1 item in the Google Photos of ${ANN}`, undefined],
        [`2 items in the Google Photos of ${BEN}`, undefined],
      ]);
      await until(() => panels.length === 1, 5000, 'the panel');
      const ben = await showGrid(panels[0].webview);
      assert.equal(ben.title, 'Trip');
      assert.deepEqual(ben.names, ['b1.jpg', 'b2.jpg'], 'Ben’s “Trip”, not Ann’s');
      assert.deepEqual([...ben.results.values()].filter((r) => r.error), [], 'no thumbnail failed');

      // Ben signs out: his album stays in the index and says so; Ann's names Ann.
      const benSession = w.provider.accounts.find((x) => x.label === BEN)?.sessionId;
      assert.ok(benSession);
      await w.provider.removeSession(benSession);
      await win.run('photoSync.showPreview');
      assert.deepEqual(shown.filter((i) => i.label === '$(folder-library) Trip').map((i) => i.description).sort(), [
        `1 item in the Google Photos of ${ANN}`,
        '2 items in the Google Photos of an account that is not signed in',
      ]);
    } finally {
      preview?.dispose();
      await new Promise((r) => setTimeout(r, 500)); // the last request counts reach the index
      await win.close();
    }
  }));
