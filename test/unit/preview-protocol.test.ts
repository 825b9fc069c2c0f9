import { test } from 'node:test';
import assert from 'node:assert/strict';
import picomatch from 'picomatch';
import { Messenger, RequestError } from '../../src/webview/messenger';
import { escapeGlob, globForFile, globForFolder, isEnvelope, parentDir, toBytes, type Envelope, type HostToWebview, type WebviewToHost } from '../../src/webview/protocol';

/** Two messengers wired like the host and the webview, delivering asynchronously as postMessage does. */
function pair() {
  const toHost: Envelope[] = [];
  const toWebview: Envelope[] = [];
  const host = new Messenger<HostToWebview, WebviewToHost>((m) => {
    toWebview.push(m);
    setImmediate(() => webview.receive(structuredClone(m)));
  });
  const webview = new Messenger<WebviewToHost, HostToWebview>((m) => {
    toHost.push(m);
    setImmediate(() => host.receive(structuredClone(m)));
  });
  return { host, webview, toHost, toWebview };
}

test('a request is answered with the handler result, matched by inReplyTo, even when answers arrive out of order', async () => {
  const { host, webview, toWebview } = pair();
  host.onRequest('getItems', async ({ start, end }) => {
    await new Promise((r) => setTimeout(r, start === 0 ? 30 : 1)); // the first answer comes last
    return { total: 10_000, items: [{ id: `i${start}`, index: start, name: `n${end}`, kind: 'image' }] };
  });
  const [a, b] = await Promise.all([webview.request('getItems', { start: 0, end: 100 }), webview.request('getItems', { start: 100, end: 200 })]);
  assert.equal(a.items[0].id, 'i0');
  assert.equal(b.items[0].id, 'i100');
  const replies = toWebview.filter((m) => m.kind === 'response');
  assert.deepEqual(replies.map((m) => (m.kind === 'response' ? m.inReplyTo : -1)), [2, 1]);
});

test('a handler error becomes a rejected request with its message; an unknown method is refused', async () => {
  const { host, webview } = pair();
  host.onRequest('setFilter', () => {
    throw new Error('index closed');
  });
  await assert.rejects(webview.request('setFilter', { text: 'x' }), (e: Error) => e instanceof RequestError && e.message === 'index closed');
  await assert.rejects(webview.request('exclude', { rules: [] }), /Unknown request: exclude/);
});

test('notifications reach their handler; malformed messages are ignored', async () => {
  const { host, webview } = pair();
  const seen: string[][] = [];
  host.onNotification('wantThumbnails', ({ ids }) => seen.push(ids));
  void webview.notify('wantThumbnails', { ids: ['a', 'b'] });
  host.receive({ kind: 'notification' }); // no method
  host.receive('wantThumbnails');
  host.receive(null);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(seen, [['a', 'b']]);
});

test('aborting a request rejects it at once and drops the late answer', async () => {
  const { host, webview } = pair();
  let answered = 0;
  webview.onRequest('decodeImage', async () => {
    await new Promise((r) => setTimeout(r, 20));
    answered++;
    return { jpeg: new Uint8Array([0xff, 0xd8]), width: 1, height: 1 };
  });
  const controller = new AbortController();
  const pending = host.request('decodeImage', { id: 'x', bytes: new Uint8Array(3), mimeType: 'image/png', maxSize: 256 }, controller.signal);
  controller.abort();
  await assert.rejects(pending, /Cancelled/);
  assert.equal(host.pendingRequests, 0);
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(answered, 1, 'the other side still answered; the answer was dropped');
});

test('close() rejects what waits, aborts the handlers being run, and refuses new requests', async () => {
  const { host, webview } = pair();
  let handlerSignal: AbortSignal | undefined;
  host.onRequest('exclude', (_p, signal) => {
    handlerSignal = signal;
    return new Promise(() => undefined); // never answers on its own
  });
  const waiting = webview.request('exclude', { rules: [{ folder: '/p', glob: '*.tmp' }] });
  await new Promise((r) => setTimeout(r, 10));
  host.close();
  webview.close('The view was closed');
  await assert.rejects(waiting, /The view was closed/);
  assert.equal(handlerSignal?.aborted, true);
  await assert.rejects(webview.request('setFilter', { text: '' }), /closed/);
});

test('isEnvelope accepts the three shapes only', () => {
  assert.ok(isEnvelope({ kind: 'request', messageId: 1, method: 'getItems', params: {} }));
  assert.ok(isEnvelope({ kind: 'response', inReplyTo: 1, result: 1 }));
  assert.ok(isEnvelope({ kind: 'notification', method: 'ready', params: {} }));
  assert.ok(!isEnvelope({ kind: 'request', messageId: 1.5, method: 'x' }));
  assert.ok(!isEnvelope({ kind: 'response', inReplyTo: 1, error: 3 }));
  assert.ok(!isEnvelope({ kind: 'other', method: 'x' }));
  assert.ok(!isEnvelope(undefined));
});

test('toBytes reads the shapes bytes take through postMessage', () => {
  const expected = [255, 216, 0, 9];
  const bytes = (v: unknown) => {
    const b = toBytes(v);
    assert.ok(b instanceof Uint8Array);
    return [...b];
  };
  assert.deepEqual(bytes(Uint8Array.from(expected)), expected);
  assert.deepEqual(bytes(Uint8Array.from(expected).buffer), expected);
  assert.deepEqual(bytes(Buffer.from(expected)), expected);
  assert.deepEqual(bytes(new DataView(Uint8Array.from([7, ...expected]).buffer, 1)), expected, 'a view starting inside its buffer');
  assert.deepEqual(bytes(expected), expected);
  assert.deepEqual(bytes(JSON.parse(JSON.stringify(Uint8Array.from(expected)))), expected, 'a JSON-ified typed array is {"0":255,…}');
  assert.equal(toBytes([1, 256]), undefined);
  assert.equal(toBytes({ a: 1 }), undefined);
  assert.equal(toBytes('ffd8'), undefined);
});

/** The sync folder rule: a pattern with "/" matches the relative path, one without the file name at any depth. */
function excludedBy(glob: string, relPath: string): boolean {
  const options = { dot: true, nocase: true };
  return glob.includes('/') ? picomatch(glob, options)(relPath) : picomatch(glob, options)(relPath.slice(relPath.lastIndexOf('/') + 1));
}

test('globForFile matches exactly that file, special characters included; a root file is not matched deeper', () => {
  const files = ['IMG_1.jpg', 'sub/IMG_1.jpg', 'a [copy] (2)/x{1}.jpg', 'a [copy] (2)/x1.jpg', 'weird!+@*?.png', 'weirdX.png', '2024/Summer/beach.JPG'];
  for (const target of files) {
    const glob = globForFile(target);
    for (const other of files) assert.equal(excludedBy(glob, other), other === target, `${glob} vs ${other}`);
  }
  assert.equal(globForFile('IMG_1.jpg'), './IMG_1.jpg');
});

test('globForFolder matches everything below the folder and nothing beside it', () => {
  const glob = globForFolder('a [copy] (2)');
  assert.ok(glob);
  assert.ok(excludedBy(glob, 'a [copy] (2)/x.jpg'));
  assert.ok(excludedBy(glob, 'a [copy] (2)/deep/y.jpg'));
  assert.ok(!excludedBy(glob, 'a [copy] (22)/x.jpg'));
  assert.ok(!excludedBy(glob, 'x.jpg'));
  assert.equal(globForFolder(''), undefined, 'the sync folder itself is not excludable');
  assert.equal(parentDir('a/b/c.jpg'), 'a/b');
  assert.equal(parentDir('c.jpg'), '');
  assert.equal(escapeGlob('a*b'), 'a\\*b');
});

test('toBytes reads a Node Buffer that went through JSON ({ type: "Buffer", data })', () => {
  assert.deepEqual(toBytes(JSON.parse(JSON.stringify(Buffer.from([255, 216, 1])))), Uint8Array.from([255, 216, 1]));
});
