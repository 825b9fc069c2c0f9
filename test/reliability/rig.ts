// What the reliability suite shares: one emulator (with a hook that sees each request arrive, to land
// kills), a signed-in command-line home, seeded fixtures, and the checks every trial ends with — the
// local files, the emulator's albums, items and upload tokens, the index's integrity and agreement.
import { createHash } from 'node:crypto';
import { copyFileSync, promises as fs, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import initSqlJs from 'sql.js';
import { EmulatorControl } from '../emulator/control';
import { DEFAULT_CLIENT_SECRET, startEmulator, type RunningEmulator } from '../emulator/index';
import { cliHome, cliSignIn, ensureCliBuilt, type CliHome } from '../helpers/cli';
import { makeJpeg, tempDir, writeTree } from '../unit/sync-fixtures';
import { openIndex } from '../../src/index/openIndex';

export const WASM_DIR = path.join(process.cwd(), 'node_modules/sql.js/dist');
export const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** A deterministic random source (mulberry32), so a failing trial can be run again by its seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type RequestListener = (op: string, req: IncomingMessage) => void;

export interface Suite {
  emu: RunningEmulator;
  control: EmulatorControl;
  signedIn: CliHome;
  /** Listeners told of each API request as it arrives. */
  listeners: Set<RequestListener>;
  /** A home sharing the signed-in secrets, with its own config (folders) and index folder. */
  home(config?: Record<string, unknown>): CliHome;
  /** Folders (photos, archives, downloads) and outputs the secrets check reads at the end. */
  track(dir: string): void;
  log(text: string): void;
  /** Where a token or client secret the emulator issued appears outside the 0600 secrets files. */
  secretsFound(): Promise<string[]>;
  close(): Promise<void>;
}

export async function startSuite(): Promise<Suite> {
  await ensureCliBuilt();
  const listeners = new Set<RequestListener>();
  const emu = await startEmulator({ port: 0, onRequest: (op, req) => listeners.forEach((l) => l(op, req)) });
  const control = new EmulatorControl(emu.control);
  const signedIn = cliHome(emu.endpoints);
  signedIn.writeConfig({ folders: [] });
  await cliSignIn(signedIn);
  const tracked = new Set<string>([signedIn.dir]);
  const logs: string[] = [];
  return {
    emu,
    control,
    signedIn,
    listeners,
    home(config = {}) {
      const h = cliHome(emu.endpoints);
      h.writeConfig({ folders: [], index: path.join(h.dir, 'index'), ...config });
      copyFileSync(signedIn.secretsFile, h.secretsFile);
      tracked.add(h.dir);
      return h;
    },
    track: (dir) => void tracked.add(dir),
    log: (text) => void logs.push(text),
    async secretsFound() {
      const state = await control.state();
      const secrets = [...state.tokens.access.map((t) => t.token), ...state.tokens.refresh.map((t) => t.token), DEFAULT_CLIENT_SECRET].filter((t) => t && t.length >= 8);
      const found: string[] = [];
      const look = (where: string, bytes: Buffer) => {
        for (const secret of secrets) if (bytes.includes(secret)) found.push(`${where} holds ${secret.slice(0, 6)}…`);
      };
      const walk = async (dir: string) => {
        let entries;
        try {
          entries = await fs.readdir(dir, { withFileTypes: true });
        } catch {
          return;
        }
        for (const e of entries) {
          const full = path.join(dir, e.name);
          if (e.isDirectory()) await walk(full);
          else if (e.isFile()) {
            // The command line's own secret store: a 0600 file by design (no keychain in tests).
            if (e.name === 'secrets.json' && path.basename(dir) === 'photo-sync') {
              if (((await fs.stat(full)).mode & 0o077) !== 0) found.push(`${full} is readable by others`);
              continue;
            }
            const stat = await fs.stat(full);
            if (stat.size < 64 * 1024 * 1024) look(full, readFileSync(full));
          }
        }
      };
      for (const dir of tracked) await walk(dir);
      logs.forEach((text, i) => look(`output #${i + 1}`, Buffer.from(text)));
      return found;
    },
    close: () => emu.close(),
  };
}

/** A JPEG the emulator accepts, padded after its end to `bytes` with seeded noise (a resumable-size file). */
export function bigJpeg(seed: number, bytes: number): Buffer {
  const head = makeJpeg(seed, undefined, 24);
  const pad = Buffer.alloc(Math.max(0, bytes - head.length));
  const rnd = seeded(seed);
  for (let i = 0; i < pad.length; i += 4) pad.writeUInt32LE(Math.floor(rnd() * 0xffffffff), Math.min(i, pad.length - 4));
  return Buffer.concat([head, pad]);
}

export interface Fixture {
  root: string;
  /** Relative path → bytes. */
  files: Record<string, Buffer>;
  /** Album title → the distinct contents (sha256) it must hold. */
  albums: Map<string, Set<string>>;
}

/**
 * `count` files in two albums (sub-folders `<tag> Main` and `<tag> Second`): small JPEGs, `big`
 * resumable-size ones, some files with identical bytes in the same album and across both albums.
 */
export async function makeFixture(tag: string, seedBase: number, count: number, big: number, bigBytes = 9 * 1024 * 1024): Promise<Fixture> {
  const root = await fs.realpath(await tempDir('photo-sync-rel-src-'));
  const files: Record<string, Buffer> = {};
  const albums = new Map<string, Set<string>>();
  const main = `${tag} Main`;
  const second = `${tag} Second`;
  const add = (album: string, name: string, bytes: Buffer) => {
    files[`${album}/${name}`] = bytes;
    if (!albums.has(album)) albums.set(album, new Set());
    albums.get(album)?.add(sha(bytes));
  };
  const secondCount = Math.floor(count / 5);
  for (let i = 0; i < count - big; i++) {
    const bytes = makeJpeg(seedBase + i, { original: `20${10 + (i % 14)}:0${1 + (i % 9)}:1${i % 10} 10:00:00` }, 8 + (i % 5));
    add(i < count - big - secondCount ? main : second, `IMG_${String(i).padStart(4, '0')}.jpg`, bytes);
  }
  for (let i = 0; i < big; i++) add(main, `BIG_${i}.jpg`, bigJpeg(seedBase + 100_000 + i, bigBytes));
  // Duplicates: identical bytes under another name in the same album, and in the other album.
  const names = Object.keys(files).filter((f) => f.startsWith(main) && f.includes('IMG_'));
  for (let i = 0; i < 6; i++) add(main, `copy_${i}.jpg`, files[names[i]]);
  for (let i = 6; i < 12; i++) add(second, `from_main_${i}.jpg`, files[names[i]]);
  await writeTree(root, files);
  return { root, files, albums };
}

/** Every regular file below `dir`, relative path → sha256 (a missing dir is empty). */
export async function hashTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string) => {
    let entries;
    try {
      entries = await fs.readdir(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) await walk(full);
      else if (e.isFile()) out.set(path.relative(dir, full), sha(readFileSync(full)));
      else out.set(path.relative(dir, full), `(${e.isSymbolicLink() ? 'link' : 'other'})`);
    }
  };
  await walk(dir);
  return out;
}

/** `PRAGMA integrity_check` on the index file as it is on disk. */
export async function integrity(indexDir: string): Promise<string> {
  const SQL = await initSqlJs({ locateFile: (f: string) => path.join(WASM_DIR, f) });
  const db = new SQL.Database(readFileSync(path.join(indexDir, 'index.sqlite')));
  try {
    const rows = db.exec('PRAGMA integrity_check');
    return String(rows[0]?.values[0]?.[0] ?? 'no answer');
  } finally {
    db.close();
  }
}

/** The app's albums as the index knows them: title → [id, items]. */
export async function indexAlbums(indexDir: string): Promise<Map<string, { id: string; items: number }[]>> {
  const index = await openIndex({ storageDir: indexDir, wasmDir: WASM_DIR, watch: false, integrityCheck: 'off' });
  try {
    const out = new Map<string, { id: string; items: number }[]>();
    for (const a of index.albums.listWithCounts({ appCreatedOnly: true }, { limit: 10_000 }).items) out.set(a.title, [...(out.get(a.title) ?? []), { id: a.id, items: a.indexedItems }]);
    return out;
  } finally {
    await index.dispose();
  }
}

export interface EmulatorView {
  /** Album title → album ids with that title. */
  albums: Map<string, { id: string; shas: string[] }[]>;
  /** sha256 → upload tokens issued (each a completed upload of those bytes). */
  uploads: Map<string, number>;
  /** sha256 → media items holding it. */
  items: Map<string, number>;
}

export async function emulatorView(control: EmulatorControl): Promise<EmulatorView> {
  const state = await control.state();
  const shaOf = new Map(state.mediaItems.map((m) => [m.id, m.sha256]));
  const albums = new Map<string, { id: string; shas: string[] }[]>();
  for (const a of state.albums) albums.set(a.title, [...(albums.get(a.title) ?? []), { id: a.id, shas: a.mediaItemIds.map((id) => shaOf.get(id) as string) }]);
  const uploads = new Map<string, number>();
  for (const t of state.uploadTokens) uploads.set(t.sha256, (uploads.get(t.sha256) ?? 0) + 1);
  const items = new Map<string, number>();
  for (const m of state.mediaItems) items.set(m.sha256, (items.get(m.sha256) ?? 0) + 1);
  return { albums, uploads, items };
}

/** Temp and partial files a crash may leave: never under a final name, and the rerun cleans its own. */
export function partials(names: Iterable<string>): string[] {
  return [...names].filter((f) => /\.part$|\.tmp(-|$)|\.photo-?sync-/i.test(path.basename(f)));
}

/** Prints a table (header row first) so it reads in the test log. */
export function printTable(title: string, rows: (string | number)[][]): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c] ?? '').length)));
  const line = (r: (string | number)[]) => `| ${r.map((v, c) => String(v ?? '').padEnd(widths[c])).join(' | ')} |`;
  const out = [`\n${title}`, line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)];
  process.stdout.write(`${out.join('\n')}\n`);
}
