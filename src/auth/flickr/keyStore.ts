import type * as vscode from 'vscode';
import { registerSecret } from '../../util/redact';
import { englishL10n } from '../../util/englishL10n';
import { formatCount } from '../../util/format';

type L10n = Pick<typeof vscode.l10n, 't'>;

/** The user's own Flickr app: its API key and secret ("Your Apps" on Flickr). Lives only in SecretStorage. */
export interface FlickrApiKey {
  key: string;
  secret: string;
}

export const FLICKR_KEY_SECRET = 'photoSync.flickr.apiKey';
/** Where a Flickr member applies for a key (a non-commercial key is granted at once). */
export const FLICKR_APP_CREATE_URL = 'https://www.flickr.com/services/apps/create/';
/** Where a member sees the keys of their apps. */
export const FLICKR_YOUR_APPS_URL = 'https://www.flickr.com/services/apps/by/me';

/** A sentence saying what is wrong with an API key as typed, or undefined when it looks right (32 hex digits). */
export function flickrKeyProblem(key: string, l10n: L10n = englishL10n): string | undefined {
  const k = key.trim();
  if (!k) return l10n.t('the API key is missing.');
  if (/^[0-9a-fA-F]{32}$/.test(k)) return undefined;
  const others = /[^0-9a-fA-F]/.test(k);
  if (k.length === 1) return others ? l10n.t('a Flickr API key is 32 letters and digits (0–9, a–f); this one has 1 character and others.') : l10n.t('a Flickr API key is 32 letters and digits (0–9, a–f); this one has 1 character.');
  return others
    ? l10n.t('a Flickr API key is 32 letters and digits (0–9, a–f); this one has {0} characters and others.', formatCount(k.length))
    : l10n.t('a Flickr API key is 32 letters and digits (0–9, a–f); this one has {0} characters.', formatCount(k.length));
}

/** The same for the secret (16 hex digits). */
export function flickrSecretProblem(secret: string, l10n: L10n = englishL10n): string | undefined {
  const s = secret.trim();
  if (!s) return l10n.t('the secret is missing.');
  if (/^[0-9a-fA-F]{16}$/.test(s)) return undefined;
  const others = /[^0-9a-fA-F]/.test(s);
  if (s.length === 1) return others ? l10n.t('a Flickr API secret is 16 letters and digits (0–9, a–f); this one has 1 character and others.') : l10n.t('a Flickr API secret is 16 letters and digits (0–9, a–f); this one has 1 character.');
  return others
    ? l10n.t('a Flickr API secret is 16 letters and digits (0–9, a–f); this one has {0} characters and others.', formatCount(s.length))
    : l10n.t('a Flickr API secret is 16 letters and digits (0–9, a–f); this one has {0} characters.', formatCount(s.length));
}

/** Reads and writes the key in SecretStorage; never anywhere else. */
export class FlickrKeyStore {
  constructor(private readonly secrets: Pick<vscode.SecretStorage, 'get' | 'store' | 'delete' | 'onDidChange'>) {}

  readonly onDidChange = (listener: () => unknown): vscode.Disposable =>
    this.secrets.onDidChange((e) => {
      if (e.key === FLICKR_KEY_SECRET) listener();
    });

  async get(): Promise<FlickrApiKey | undefined> {
    const raw = await this.secrets.get(FLICKR_KEY_SECRET);
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as Partial<FlickrApiKey>;
      const key = String(parsed.key ?? '').trim().toLowerCase();
      const secret = String(parsed.secret ?? '').trim().toLowerCase();
      if (flickrKeyProblem(key) || flickrSecretProblem(secret)) return undefined;
      registerSecret(secret);
      return { key, secret };
    } catch {
      return undefined;
    }
  }

  async set(value: FlickrApiKey): Promise<void> {
    const key = value.key.trim().toLowerCase();
    const secret = value.secret.trim().toLowerCase();
    registerSecret(secret);
    await this.secrets.store(FLICKR_KEY_SECRET, JSON.stringify({ key, secret }));
  }

  async clear(): Promise<void> {
    await this.secrets.delete(FLICKR_KEY_SECRET);
  }
}
