import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { startEmulator } from '../emulator/index';
import { EmulatorControl } from '../emulator/control';
import { emulatorTokenSource } from '../helpers/emulatorAuth';
import { GooglePhotosProvider } from '../../src/destinations/googlePhotos/provider';
import { googlePhotosRules } from '../../src/destinations/googlePhotos/rules';
import { FileChangedError } from '../../src/destinations/googlePhotos/uploads';
import type { ResumableSession } from '../../src/destinations/googlePhotos/uploads';
import { SIGN_IN_SCOPES } from '../../src/google/scopes';
import { loadMediaTypes } from '../../src/metadata/mediaTypes';
import type { LocalUpload, TransferJournal } from '../../src/sync/provider';
import { nullLogger } from '../../src/util/logger';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The provider journals its sessions as opaque JSON; these tests look inside, as ResumableSession. */
interface SessionJournal {
  load(file: LocalUpload): Promise<ResumableSession | undefined>;
  save(file: LocalUpload, session: ResumableSession): Promise<void>;
  clear(file: LocalUpload): Promise<void>;
}

function asTransferJournal(journal: SessionJournal): TransferJournal {
  return {
    load: async (f) => {
      const s = await journal.load(f);
      return s && JSON.stringify({ url: s.sessionUrl, offset: s.offset, granularity: s.granularity });
    },
    save: (f, text) => {
      const j = JSON.parse(text) as { url: string; offset: number; granularity: number };
      return journal.save(f, { sessionUrl: j.url, offset: j.offset, granularity: j.granularity });
    },
    clear: (f) => journal.clear(f),
  };
}

interface Setup {
  control: EmulatorControl;
  dir: string;
  counts: Map<string, number>;
  makeProvider(options?: { journal?: SessionJournal; chunkSize?: number }): GooglePhotosProvider;
  /** Every debug line the providers logged. */
  logLines: string[];
  currentToken(): string | undefined;
  /** The emulator's `library` endpoint. */
  emulatorLibrary: string;
  file(name: string, bytes: Uint8Array, mimeType?: string): Promise<LocalUpload>;
}

async function withGoogle(run: (s: Setup) => Promise<void>): Promise<void> {
  const emulator = await startEmulator({ port: 0 });
  const dir = await mkdtemp(path.join(tmpdir(), 'google-uploads-'));
  try {
    const control = new EmulatorControl(emulator.control);
    const tokens = await emulatorTokenSource(emulator, SIGN_IN_SCOPES);
    const counts = new Map<string, number>();
    const logLines: string[] = [];
    const logger = { ...nullLogger, debug: (m: string) => void logLines.push(m) };
    const rules = googlePhotosRules(await loadMediaTypes());
    const makeProvider = (options: { journal?: SessionJournal; chunkSize?: number } = {}) =>
      new GooglePhotosProvider({
        tokenSource: tokens,
        libraryRoot: emulator.endpoints.library,
        rules,
        onRequest: (endpoint) => counts.set(endpoint, (counts.get(endpoint) ?? 0) + 1),
        // Small numbers so a few-MB file takes several chunks.
        uploads: { resumableThreshold: 1024 * 1024, chunkSize: options.chunkSize ?? 512 * 1024, recoveryDelayMs: 10 },
        transferJournal: options.journal && asTransferJournal(options.journal),
        logger,
      });
    const file = async (name: string, bytes: Uint8Array, mimeType = 'image/jpeg'): Promise<LocalUpload> => {
      const p = path.join(dir, name);
      await writeFile(p, bytes);
      const s = await stat(p);
      return { path: p, fileName: name, mimeType, size: s.size, mtimeMs: s.mtimeMs, sha256: sha256(bytes) };
    };
    await run({ control, dir, counts, makeProvider, file, logLines, currentToken: () => tokens.currentToken, emulatorLibrary: emulator.endpoints.library });
  } finally {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** A real JPEG of random pixels (unique bytes, no EXIF), for items whose bytes are read back. */
function realJpeg(width: number, height: number): Buffer {
  const data = randomBytes(width * height * 4);
  return Buffer.from(jpeg.encode({ width, height, data }, 90).data);
}

/** A real 8×8 JPEG followed by random bytes up to `size` (decoders stop at EOI): unique bytes of any size. */
function jpegish(size: number): Buffer {
  const head = realJpeg(8, 8);
  assert.ok(head.length <= size, `jpegish(${size}) is smaller than its ${head.length}-byte JPEG`);
  return Buffer.concat([head, randomBytes(size - head.length)]);
}

test('raw upload + batchCreate puts the exact bytes into the album, with a Unicode file name', async () => {
  await withGoogle(async ({ control, makeProvider, file, counts }) => {
    const provider = makeProvider();
    const album = await provider.createContainer('Raw uploads');
    const a = await file('Zoë 写真 🎉.jpg', realJpeg(120, 80));
    const b = await file('plain.jpg', realJpeg(200, 150));
    const progress: number[] = [];
    const receiptA = await provider.uploadBytes(a, (n) => progress.push(n));
    const receiptB = await provider.uploadBytes({ ...b, description: 'A caption' });
    assert.equal(progress.at(-1), a.size);

    const results = await provider.commit(album.id, [
      { receipt: receiptA, file: a },
      { receipt: receiptB, file: { ...b, description: 'A caption' } },
    ]);
    assert.ok(results.every((r) => r.ok));
    const [ra, rb] = results;
    assert.ok(ra.ok && rb.ok);
    assert.equal(ra.item.filename, 'Zoë 写真 🎉.jpg');

    const state = await control.state();
    const itemA = state.mediaItems.find((i) => i.id === ra.item.id);
    const itemB = state.mediaItems.find((i) => i.id === rb.item.id);
    assert.equal(itemA?.sha256, sha256(await readFile(a.path)));
    assert.equal(itemA?.filename, 'Zoë 写真 🎉.jpg');
    assert.equal(itemB?.description, 'A caption');
    assert.deepEqual(state.albums.find((x) => x.id === album.id)?.mediaItemIds, [ra.item.id, rb.item.id]);
    assert.equal(counts.get('uploads'), 2, 'one request per small file');

    const inAlbum = [];
    for await (const item of provider.listItems(album.id)) inAlbum.push(item.id);
    assert.deepEqual(inAlbum, [ra.item.id, rb.item.id]);

    // The download streams back exactly what went up (no EXIF, so nothing to strip).
    const chunks: Uint8Array[] = [];
    const n = await provider.download(rb.item, async (c) => void chunks.push(c));
    assert.equal(n, b.size);
    assert.equal(sha256(Buffer.concat(chunks)), itemB?.sha256);
    assert.equal(itemB?.sha256, sha256(await readFile(b.path)));

    // A Unicode file name survives the download headers too.
    const unicodeChunks: Uint8Array[] = [];
    await provider.download(ra.item, async (c) => void unicodeChunks.push(c));
    assert.equal(sha256(Buffer.concat(unicodeChunks)), itemA?.sha256);
  });
});

test('a multi-chunk resumable upload survives a connection reset and a 503 by querying and continuing', async () => {
  await withGoogle(async ({ control, makeProvider, file, counts, logLines, currentToken }) => {
    const sessions: ResumableSession[] = [];
    const journal: SessionJournal = {
      load: async () => undefined,
      save: async (_f, session) => {
        sessions.push(session);
        // Once the first chunk is confirmed, cut the connection 200 KB into the next one.
        if (session.offset > 0 && sessions.length === 2) await control.faults({ type: 'reset', endpoint: 'library.uploads', afterBytes: 200_000, times: 1 });
        // Later, a 503 on a chunk: same recovery.
        if (sessions.length === 5) await control.faults({ type: 'status', endpoint: 'library.uploads', status: 503, times: 1 });
      },
      clear: async () => undefined,
    };
    const provider = makeProvider({ journal });
    const bytes = jpegish(3 * 1024 * 1024 + 12_345);
    const big = await file('big.jpg', bytes);
    const progress: number[] = [];
    const receipt = await provider.uploadBytes(big, (n) => progress.push(n));
    const [result] = await provider.commit(undefined, [{ receipt, file: big }]);
    assert.ok(result.ok);

    const state = await control.state();
    const uploaded = state.mediaItems.filter((i) => !i.seeded);
    assert.equal(uploaded.length, 1);
    assert.equal(uploaded[0].sha256, sha256(bytes));
    assert.equal(uploaded[0].size, bytes.length);
    assert.equal(progress.at(-1), bytes.length);
    // Journal: the session at 0, then confirmed offsets — all granularity multiples, never past the size.
    assert.equal(sessions[0].offset, 0);
    assert.ok(sessions.every((s) => s.sessionUrl === sessions[0].sessionUrl && s.offset < bytes.length && s.offset % s.granularity === 0));
    // The reset chunk was not confirmed: after the query, offset 512 KiB was journaled a second time.
    const K512 = 512 * 1024;
    assert.deepEqual(sessions.map((s) => s.offset).slice(0, 6), [0, K512, K512, 2 * K512, 3 * K512, 3 * K512]);
    // start + 7 chunks of 512 KiB (the last finalizes) + the cut chunk and the 503 chunk, each followed by a query.
    assert.equal(counts.get('uploads'), 1 + 7 + 2 + 2);
    assert.equal(counts.get('uploads'), state.requestCounts['library.uploads']);
    // Logged: method, path, status, duration — never the session URL's query or the token.
    assert.ok(logLines.some((l) => /^POST \S+\/v1\/uploads → 200 in \d+ ms$/.test(l)));
    const secretQuery = new URL(sessions[0].sessionUrl).search;
    const token = currentToken();
    assert.ok(token);
    for (const line of logLines) {
      assert.ok(!secretQuery || !line.includes(secretQuery.slice(1)), line);
      assert.ok(!line.includes(token), line);
    }
  });
});

test('a crash mid-upload resumes from the journaled session without sending the file again', async () => {
  await withGoogle(async ({ control, makeProvider, file }) => {
    const saved = new Map<string, ResumableSession>();
    let lastSaved: ResumableSession | undefined;
    const journal: SessionJournal = {
      load: async (f) => saved.get(f.path),
      save: async (f, s) => void saved.set(f.path, (lastSaved = s)),
      clear: async (f) => void saved.delete(f.path),
    };
    const bytes = jpegish(4 * 1024 * 1024);
    const big = await file('crash.jpg', bytes);

    // "Crash": abort once two chunks are confirmed.
    const abort = new AbortController();
    const first = makeProvider({ journal });
    const crashed = first.uploadBytes(big, (n) => n >= 1024 * 1024 + 1 && abort.abort(), abort.signal);
    await assert.rejects(crashed);
    const journaled = saved.get(big.path);
    assert.ok(journaled && journaled.offset >= 1024 * 1024, `journaled ${JSON.stringify(journaled?.offset)}`);

    // A new provider (after restart) finds the session and sends only what the server lacks.
    const progress: number[] = [];
    const receipt = await makeProvider({ journal }).uploadBytes(big, (n) => progress.push(n));
    assert.ok(progress[0] >= journaled.offset, 'resumed from the server offset, not from 0');
    assert.equal(saved.size, 0, 'journal cleared once the token is in hand');
    // A crash after the final chunk but before the token was journaled: the query hands it back.
    assert.ok(lastSaved);
    assert.equal(await first.uploads.resumeUpload(lastSaved, big), receipt.token);
    const [result] = await first.commit(undefined, [{ receipt, file: big }]);
    assert.ok(result.ok);
    const state = await control.state();
    assert.deepEqual(state.mediaItems.filter((i) => !i.seeded).map((i) => i.sha256), [sha256(bytes)]);
  });
});

test('batchCreate partial failure is reported per item and the good items land', async () => {
  await withGoogle(async ({ control, makeProvider, file }) => {
    const provider = makeProvider();
    const album = await provider.createContainer('Partial');
    const good = await file('good.jpg', jpegish(20_000));
    const other = await file('other.jpg', jpegish(30_000));
    const receipt = await provider.uploadBytes(good);
    const receipt2 = await provider.uploadBytes(other);
    const bogus = { token: 'not-a-real-upload-token', expiresAt: Date.now() + 60_000 };
    const results = await provider.commit(album.id, [
      { receipt, file: good },
      { receipt: bogus, file: { ...good, fileName: 'bogus.jpg' } },
      { receipt: receipt2, file: { ...other, fileName: `${'x'.repeat(300)}.jpg` } },
    ]);
    assert.equal(results.length, 3);
    assert.equal(results[0].ok, true);
    assert.equal(results[1].ok, false);
    // An unknown token: the receipt is unusable (a stale one is sent again; a fresh one means bad bytes).
    assert.ok(!results[1].ok && results[1].outcome === 'resend' && results[1].message.length > 0);
    assert.ok(!results[2].ok && results[2].outcome === 'rejected' && /255/.test(results[2].message));
    const state = await control.state();
    const created = state.mediaItems.filter((i) => !i.seeded);
    assert.equal(created.length, 1);
    assert.equal(created[0].sha256, sha256(await readFile(good.path)));
    assert.deepEqual(state.albums.find((a) => a.id === album.id)?.mediaItemIds, [created[0].id]);
  });
});

test('a file changed before or during upload throws FileChangedError; an empty file is refused up front', async () => {
  await withGoogle(async ({ control, makeProvider, file }) => {
    const provider = makeProvider();
    const f = await file('changing.jpg', jpegish(50_000));
    await appendFile(f.path, Buffer.alloc(10));
    await assert.rejects(provider.uploadBytes(f), (e: unknown) => e instanceof FileChangedError && e.reason === 'size');
    const empty = await file('empty.jpg', Buffer.alloc(0));
    await assert.rejects(provider.uploadBytes(empty), /empty \(0 bytes\)/);
    assert.equal((await control.state()).requestCounts['library.uploads'] ?? 0, 0, 'neither sent a byte');

    const big = await file('growing.jpg', jpegish(2 * 1024 * 1024));
    let grown = false;
    await assert.rejects(
      provider.uploadBytes(big, (n) => {
        if (n > 600_000 && !grown) {
          grown = true;
          appendFileSync(big.path, Buffer.alloc(1000));
        }
      }),
      FileChangedError,
    );
    assert.equal((await control.state()).mediaItems.filter((i) => !i.seeded).length, 0);
  });
});

test('55 items commit in two batchCreate calls; album add/remove and getItems report per id', async () => {
  await withGoogle(async ({ control, makeProvider, file, counts }) => {
    const provider = makeProvider();
    const album = await provider.createContainer('Many');
    const uploads = [];
    for (let i = 0; i < 55; i++) {
      const f = await file(`many-${i}.jpg`, jpegish(1500));
      uploads.push({ receipt: await provider.uploadBytes(f), file: f });
    }
    const results = await provider.commit(album.id, uploads);
    assert.equal(counts.get('mediaItems.batchCreate'), 2);
    assert.ok(results.every((r) => r.ok));
    const ids = results.flatMap((r) => (r.ok ? [r.item.id] : []));
    let state = await control.state();
    assert.deepEqual(state.albums.find((a) => a.id === album.id)?.mediaItemIds, ids);

    const second = await provider.createContainer('Second');
    await provider.addToContainer(second.id, [...ids, ids[0]]);
    await provider.removeFromContainer(album.id, ids.slice(0, 52));
    state = await control.state();
    assert.deepEqual(state.albums.find((a) => a.id === second.id)?.mediaItemIds, ids);
    assert.deepEqual(state.albums.find((a) => a.id === album.id)?.mediaItemIds, ids.slice(52));
    assert.equal(counts.get('albums.batchAddMediaItems'), 2);
    assert.equal(counts.get('albums.batchRemoveMediaItems'), 2);

    const found = await provider.getItems([ids[0], 'AnIdThatDoesNotExist0000000000', ids[54]]);
    assert.equal((found.get(ids[0]) as { filename: string }).filename, 'many-0.jpg');
    assert.equal((found.get(ids[54]) as { filename: string }).filename, 'many-54.jpg');
    assert.ok(found.get('AnIdThatDoesNotExist0000000000') instanceof Error);

    const all = [];
    for await (const item of provider.listItems(undefined)) all.push(item.id);
    assert.deepEqual([...all].sort(), [...ids].sort());
  });
});

test('a journaled session the server no longer knows is dropped and the file uploaded afresh', async () => {
  await withGoogle(async ({ control, makeProvider, file, emulatorLibrary }) => {
    let cleared = 0;
    const stale: ResumableSession = { sessionUrl: `${emulatorLibrary}/v1/uploads?upload_id=NoSuchSession123&upload_protocol=resumable`, granularity: 262_144, offset: 524_288 };
    const journal: SessionJournal = {
      load: async () => (cleared === 0 ? stale : undefined),
      save: async () => undefined,
      clear: async () => void cleared++,
    };
    const bytes = jpegish(1536 * 1024);
    const f = await file('stale.jpg', bytes);
    const receipt = await makeProvider({ journal }).uploadBytes(f);
    assert.ok(cleared >= 1);
    const [result] = await makeProvider().commit(undefined, [{ receipt, file: f }]);
    assert.ok(result.ok);
    const state = await control.state();
    assert.deepEqual(state.mediaItems.filter((i) => !i.seeded).map((i) => i.sha256), [sha256(bytes)]);
  });
});

test('a session that expires between chunks (410) is started afresh, and the item holds exactly the file’s bytes', async () => {
  await withGoogle(async ({ control, makeProvider, file }) => {
    let expired = false;
    let cleared = 0;
    const journal: SessionJournal = {
      load: async () => undefined,
      save: async (_f, s) => {
        // The first chunk is in; then the upload stalls for longer than a session lives.
        if (s.offset > 0 && !expired) {
          expired = true;
          await control.advanceClock(25 * 60 * 60 * 1000);
        }
      },
      clear: async () => void cleared++,
    };
    const bytes = jpegish(1536 * 1024);
    const f = await file('stalled.jpg', bytes);
    const receipt = await makeProvider({ journal }).uploadBytes(f);
    assert.ok(expired, 'the session expired mid-upload');
    assert.ok(cleared >= 1, 'the dead session was dropped from the journal');
    const [result] = await makeProvider().commit(undefined, [{ receipt, file: f }]);
    assert.ok(result.ok);
    const state = await control.state();
    assert.deepEqual(state.mediaItems.filter((i) => !i.seeded).map((i) => i.sha256), [sha256(bytes)]);
  });
});
