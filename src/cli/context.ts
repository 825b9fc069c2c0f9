// What a command runs on, built on first use from the global options: output, the settings, the
// secret store, Google sign-in, the index (the extension's own when it exists), the task queue, and
// destinations from the same factory the extension uses. close() saves and releases everything.
import fs from 'node:fs';
import path from 'node:path';
import type { SignInRunner } from '../auth/loopbackAuthorization';
import type { Destination, DestinationKind } from '../destinations/factory';
import type { PhotoIndex } from '../index/api';
import { INDEX_FILE_NAME } from '../index/constants';
import { readOwner } from '../index/fileLock';
import { openIndex } from '../index/openIndex';
import { IndexTooNewError } from '../index/schema';
import { QuotaCounter } from '../sync/quota';
import type { TokenSource } from '../google/tokenSource';
import { createIndexJournal } from '../tasks/indexJournal';
import { TaskQueue } from '../tasks/queue';
import { nullLogger, redactingLogger, type Logger } from '../util/logger';
import { openAuth, type CliAuth } from './auth';
import { loadSettings, type CliSettings } from './config';
import { CliError, EXIT } from './exit';
import { Interrupt } from './interrupt';
import { Output } from './output';
import { configDir, currentEnv, dataDir, extensionStorageDir, findExtensionIndex, vscodeUserDataDirs } from './paths';
import { openSecretStore, type CliSecretStorage, type SecretsMode } from './secrets';

/** Options every command takes (see program.ts). */
export interface GlobalOptions {
  config?: string;
  vscodeSettings?: boolean;
  vscodeUserData?: string;
  index?: string;
  secrets?: SecretsMode;
  account?: string;
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
}

/** Who the command line is, for other windows and processes waiting on its leases and locks. */
export const CLI_LABEL = 'the photo-sync command line';

export class CliContext {
  readonly out: Output;
  readonly log: Logger;
  readonly interrupt: Interrupt;
  private cachedSettings: CliSettings | undefined;
  private secretStore: Promise<CliSecretStorage> | undefined;
  private authModule: CliAuth | undefined;
  private indexPromise: Promise<PhotoIndex> | undefined;
  private taskQueue: TaskQueue | undefined;
  private readonly quotas: QuotaCounter[] = [];

  constructor(readonly options: GlobalOptions) {
    this.out = new Output({ json: options.json, quiet: options.quiet });
    this.log = options.verbose ? redactingLogger(stderrLogger(this.out)) : nullLogger;
    this.interrupt = new Interrupt(this.out);
  }

  settings(): CliSettings {
    this.cachedSettings ??= loadSettings({ config: this.options.config, vscodeSettings: this.options.vscodeSettings, vscodeUserData: this.options.vscodeUserData });
    return this.cachedSettings;
  }

  secrets(): Promise<CliSecretStorage> {
    this.secretStore ??= openSecretStore(this.options.secrets ?? 'auto', configDir());
    return this.secretStore;
  }

  /** Sign-in state; `signIn` runs an interactive sign-in (only `login` passes one). */
  async auth(signIn?: SignInRunner): Promise<CliAuth> {
    if (!this.authModule) this.authModule = await openAuth({ secrets: await this.secrets(), endpoints: this.settings().endpoints, log: this.log, signIn });
    return this.authModule;
  }

  /** The index folder and why it is that one. */
  indexLocation(): { dir: string; source: string } {
    if (this.options.index) return { dir: indexDirOf(this.options.index), source: '--index' };
    const settings = this.settings();
    if (settings.index) return { dir: indexDirOf(settings.index), source: settings.source };
    if (settings.userDataDir) return { dir: extensionStorageDir(settings.userDataDir), source: "the VS Code extension's index" };
    const found = findExtensionIndex(vscodeUserDataDirs(currentEnv()));
    if (found) return { dir: found, source: "the VS Code extension's index" };
    return { dir: dataDir(), source: "the command line's own index (no VS Code index found)" };
  }

  index(): Promise<PhotoIndex> {
    this.indexPromise ??= this.openTheIndex();
    return this.indexPromise;
  }

  /** The queue, with `uploads` files uploading at once (--concurrency, else the settings, else the default). */
  queue(uploads?: number): TaskQueue {
    const n = uploads ?? this.settings().uploads;
    this.taskQueue ??= new TaskQueue({ log: this.log, journal: createIndexJournal(() => this.index()), concurrency: n ? { upload: n } : undefined });
    return this.taskQueue;
  }

  /** Counts a destination account's requests against its quota in the index, as the extension does. */
  quota(kind: DestinationKind, accountId: string, index: PhotoIndex): QuotaCounter {
    const counter = new QuotaCounter(() => index, () => accountId, kind.quota);
    this.quotas.push(counter);
    return counter;
  }

  /** A destination's provider and upload pipeline, from the factory the extension uses. */
  async destination(kind: DestinationKind, accountId: string, tokenSource: TokenSource, quota: QuotaCounter, uploads?: number): Promise<Destination> {
    const settings = this.settings();
    return kind.create({
      index: await this.index(),
      queue: this.queue(uploads),
      accountId,
      tokenSource,
      endpoints: settings.endpoints,
      log: this.log,
      countRequest: quota.count,
      description: settings.description,
      leaseLabel: CLI_LABEL,
    });
  }

  /** Stops the queue (unfinished work stays journaled), saves the quota count and the index. */
  async close(): Promise<void> {
    await this.taskQueue?.dispose();
    for (const q of this.quotas) await q.flush();
    const index = await this.indexPromise?.catch(() => undefined);
    await index?.dispose();
    this.authModule?.dispose();
    this.interrupt.dispose();
  }

  private async openTheIndex(): Promise<PhotoIndex> {
    const { dir } = this.indexLocation();
    const holder = readOwner(path.join(dir, `${INDEX_FILE_NAME}.lock`));
    if (holder) this.out.info(`The index is being written by ${holder.label ?? 'a VS Code window'} (process ${holder.pid}); this run waits for it where it must.`);
    try {
      return await openIndex({
        storageDir: dir,
        wasmDir: wasmDir(),
        log: this.log,
        lockLabel: CLI_LABEL,
        onCorrupt: ({ movedTo }) => this.out.warn(`The index was damaged, so it was set aside (${movedTo}) and a new one started; this sync rebuilds it from your folders.`),
      });
    } catch (err) {
      if (err instanceof IndexTooNewError) throw new CliError(EXIT.usage, `${path.join(dir, INDEX_FILE_NAME)} was written by a newer Photo Sync: update photo-sync, then run again.`);
      throw err;
    }
  }
}

/** `--index` names the folder holding index.sqlite, or the file itself. */
function indexDirOf(given: string): string {
  const resolved = path.resolve(given);
  if (path.basename(resolved) === INDEX_FILE_NAME) return path.dirname(resolved);
  if (/\.(sqlite|db)$/i.test(resolved)) throw new CliError(EXIT.usage, `--index names the folder holding ${INDEX_FILE_NAME} (or that file itself), not ${path.basename(resolved)}.`);
  if (fs.existsSync(resolved) && !fs.statSync(resolved).isDirectory()) throw new CliError(EXIT.usage, `--index ${given} is a file; name the folder holding ${INDEX_FILE_NAME}.`);
  return resolved;
}

/** sql-wasm.wasm ships beside dist/cli.js; from the sources it is in sql.js's package. */
function wasmDir(): string {
  if (fs.existsSync(path.join(__dirname, 'sql-wasm.wasm'))) return __dirname;
  return path.join(__dirname, '..', '..', 'node_modules', 'sql.js', 'dist');
}

function stderrLogger(out: Output): Logger {
  const line = (level: string) => (message: string | Error, ...args: unknown[]) =>
    out.errorStream.write(`[${level}] ${message instanceof Error ? message.message : message}${args.length ? ` ${args.map(String).join(' ')}` : ''}\n`);
  return { trace: line('trace'), debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}
