// Where the command line keeps the OAuth client and the refresh token: the OS keychain (Secret
// Service on Linux, Keychain on macOS, Credential Manager on Windows, through @napi-rs/keyring, loaded
// only when needed) when one answers, else a JSON file readable only by the user (0600) in the config
// folder. Never the index, the logs or the config file. It offers the SecretStorage subset the
// extension's ClientConfigStore and sign-in provider use, so the command line runs the same code.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Disposable } from '../index/api';
import { CliError, EXIT } from './exit';

export type SecretsMode = 'auto' | 'keychain' | 'file';
export const SECRETS_MODES: readonly SecretsMode[] = ['auto', 'keychain', 'file'];

/** The SecretStorage subset ClientConfigStore and GooglePhotosAuthProvider need. */
export interface CliSecretStorage {
  readonly backend: 'keychain' | 'file';
  /** Where the secrets are, in words ("the OS keychain", "/home/me/.config/photo-sync/secrets.json (readable only by you)"). */
  readonly where: string;
  /** Why the keychain was not used, when it was not. */
  readonly keychainProblem?: string;
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
  onDidChange(listener: (e: { key: string }) => unknown): Disposable;
}

export const KEYCHAIN_SERVICE = 'photo-sync';
export const SECRETS_FILE = 'secrets.json';

interface KeyringEntry {
  getPassword(): string | null | undefined;
  setPassword(value: string): void;
  deletePassword(): boolean | void;
}
type KeyringModule = { Entry: new (service: string, account: string, options?: { linux?: { store?: 'secret-service' | 'keyutils' } }) => KeyringEntry };

/**
 * On Linux only the Secret Service (gnome-keyring, KWallet, KeePassXC) counts as a keychain: the
 * binding's other store, the kernel's keyutils, lives in memory and loses the sign-in at a reboot,
 * which a nightly cron job would only notice by failing. Without a Secret Service the 0600 file is used.
 */
const ENTRY_OPTIONS = { linux: { store: 'secret-service' as const } };

/**
 * Opens the store. `auto`: the file when it already holds secrets (signed in with it before),
 * else the keychain when it answers, else the file. `keychain` fails (exit 2) when it does not answer.
 */
export async function openSecretStore(mode: SecretsMode, dir: string): Promise<CliSecretStorage> {
  const file = new FileSecrets(path.join(dir, SECRETS_FILE));
  if (mode === 'file') return file;
  if (mode === 'auto' && file.exists()) return file;
  const keychain = await probeKeychain();
  if ('store' in keychain) return keychain.store;
  if (mode === 'keychain') throw new CliError(EXIT.usage, `The OS keychain is not available here (${keychain.problem}). Use --secrets file to keep the sign-in in ${file.file} (readable only by you).`);
  file.keychainProblem = keychain.problem;
  return file;
}

/**
 * Said with "not set up" and "not signed in" when the keychain did not answer: a sign-in kept in it
 * from a desktop session cannot be read from cron (no D-Bus session), which looks like none at all.
 */
export function keychainHint(store: CliSecretStorage): string {
  if (store.backend !== 'file' || !store.keychainProblem) return '';
  return ` (The OS keychain is not reachable here: ${store.keychainProblem}. A sign-in kept there cannot be used from this session, e.g. cron; set up and sign in with --secrets file.)`;
}

async function probeKeychain(): Promise<{ store: CliSecretStorage } | { problem: string }> {
  let keyring: KeyringModule;
  try {
    keyring = (await import('@napi-rs/keyring')) as unknown as KeyringModule;
  } catch (err) {
    return { problem: `the keychain module could not be loaded: ${(err as Error).message.split('\n')[0]}` };
  }
  try {
    // A read of an entry that does not exist: answers null where a keychain service runs, throws where none does.
    new keyring.Entry(KEYCHAIN_SERVICE, 'probe', ENTRY_OPTIONS).getPassword();
  } catch (err) {
    return { problem: (err as Error).message.split('\n')[0] };
  }
  return { store: new KeychainSecrets(keyring) };
}

class KeychainSecrets implements CliSecretStorage {
  readonly backend = 'keychain';
  readonly where = 'the OS keychain';

  constructor(private readonly keyring: KeyringModule) {}

  async get(key: string): Promise<string | undefined> {
    return this.entry(key).getPassword() ?? undefined;
  }

  async store(key: string, value: string): Promise<void> {
    this.entry(key).setPassword(value);
  }

  async delete(key: string): Promise<void> {
    try {
      this.entry(key).deletePassword();
    } catch {
      // Nothing stored under this key.
    }
  }

  onDidChange(): Disposable {
    return { dispose: () => undefined };
  }

  private entry(key: string): KeyringEntry {
    return new this.keyring.Entry(KEYCHAIN_SERVICE, key, ENTRY_OPTIONS);
  }
}

/** A JSON object { key: value } in a 0600 file, replaced atomically on every change. */
export class FileSecrets implements CliSecretStorage {
  readonly backend = 'file';
  keychainProblem?: string;

  constructor(readonly file: string) {}

  get where(): string {
    return `${this.file} (readable only by you)`;
  }

  exists(): boolean {
    return Object.keys(this.read()).length > 0;
  }

  async get(key: string): Promise<string | undefined> {
    const value = this.read()[key];
    return typeof value === 'string' ? value : undefined;
  }

  async store(key: string, value: string): Promise<void> {
    this.write({ ...this.read(), [key]: value });
  }

  async delete(key: string): Promise<void> {
    const all = this.read();
    if (!(key in all)) return;
    delete all[key];
    if (Object.keys(all).length === 0) fs.rmSync(this.file, { force: true });
    else this.write(all);
  }

  onDidChange(): Disposable {
    return { dispose: () => undefined };
  }

  private read(): Record<string, unknown> {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new CliError(EXIT.usage, `Cannot read ${this.file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
    }
    // Someone widened its permissions: narrow them again before using what it holds.
    if (process.platform !== 'win32' && (fs.statSync(this.file).mode & 0o077) !== 0) fs.chmodSync(this.file, 0o600);
    try {
      const parsed = JSON.parse(text) as unknown;
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      throw new CliError(EXIT.usage, `${this.file} is damaged (not JSON). Delete it and run photo-sync setup-client and photo-sync login again.`);
    }
  }

  private write(all: Record<string, unknown>): void {
    const dir = path.dirname(this.file);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const temp = path.join(dir, `.${SECRETS_FILE}.${randomUUID()}.tmp`);
    const fd = fs.openSync(temp, 'wx', 0o600);
    try {
      fs.writeSync(fd, JSON.stringify(all, null, 2));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    try {
      fs.renameSync(temp, this.file);
    } catch (err) {
      fs.rmSync(temp, { force: true });
      throw err;
    }
  }
}
