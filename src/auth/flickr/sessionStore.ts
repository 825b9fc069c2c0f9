import type * as vscode from 'vscode';

/** Flickr's permission levels, each including the ones before it (auth.oauth.html). */
export const FLICKR_PERMS = ['read', 'write', 'delete'] as const;
export type FlickrPerms = (typeof FLICKR_PERMS)[number];

export function isFlickrPerms(value: string): value is FlickrPerms {
  return (FLICKR_PERMS as readonly string[]).includes(value);
}

/** Whether `granted` covers every permission in `wanted` (unknown words are never covered). */
export function permsCover(granted: FlickrPerms, wanted: readonly string[]): boolean {
  return wanted.every((w) => isFlickrPerms(w) && FLICKR_PERMS.indexOf(w) <= FLICKR_PERMS.indexOf(granted));
}

/** The strongest permission asked for; `write` (upload into albums) when none is named. */
export function strongestPerms(wanted: readonly string[]): FlickrPerms {
  return wanted.filter(isFlickrPerms).reduce<FlickrPerms>((best, w) => (FLICKR_PERMS.indexOf(w) > FLICKR_PERMS.indexOf(best) ? w : best), wanted.length ? 'read' : 'write');
}

/** What survives a restart: the access token and its secret (they do not expire), and who it is. */
export interface StoredFlickrSession {
  id: string;
  /** Flickr's user id, e.g. 190012345@N07. */
  nsid: string;
  username: string;
  fullname?: string;
  perms: FlickrPerms;
  token: string;
  tokenSecret: string;
  /** The API key the token was issued to: a token works only with its own key. */
  apiKey: string;
}

export const FLICKR_SESSIONS_KEY = 'photoSync.flickr.sessions';

/** The Flickr session list in SecretStorage (one JSON value). Invalid entries are dropped on read. */
export class FlickrSessionStore {
  constructor(private readonly secrets: Pick<vscode.SecretStorage, 'get' | 'store' | 'delete' | 'onDidChange'>) {}

  readonly onDidChange = (listener: () => unknown): vscode.Disposable =>
    this.secrets.onDidChange((e) => {
      if (e.key === FLICKR_SESSIONS_KEY) listener();
    });

  async read(): Promise<StoredFlickrSession[]> {
    const raw = await this.secrets.get(FLICKR_SESSIONS_KEY);
    if (!raw) return [];
    try {
      const list = (JSON.parse(raw) as { sessions?: unknown }).sessions;
      return Array.isArray(list) ? list.filter(isStored) : [];
    } catch {
      return [];
    }
  }

  async write(sessions: readonly StoredFlickrSession[]): Promise<void> {
    if (sessions.length === 0) await this.secrets.delete(FLICKR_SESSIONS_KEY);
    else await this.secrets.store(FLICKR_SESSIONS_KEY, JSON.stringify({ version: 1, sessions }));
  }
}

function isStored(value: unknown): value is StoredFlickrSession {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  const text = (k: string) => typeof s[k] === 'string' && (s[k] as string).length > 0;
  return text('id') && text('nsid') && text('username') && text('token') && text('tokenSecret') && text('apiKey') && typeof s.perms === 'string' && isFlickrPerms(s.perms);
}
