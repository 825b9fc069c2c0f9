import type * as vscode from 'vscode';

/** What survives a restart: no access token, only what is needed to get a new one. */
export interface StoredSession {
  id: string;
  /** Google's stable account id (`sub`). */
  accountId: string;
  /** The email shown in the Accounts menu. */
  accountLabel: string;
  /** Granted scopes, sorted. */
  scopes: string[];
  refreshToken: string;
  /** The OAuth client the refresh token belongs to. */
  clientId: string;
}

export const SESSIONS_KEY = 'photoSync.sessions';

// Google answers `email`/`profile` with their long forms in a token's `scope`.
const SHORT_FORMS: Record<string, string> = {
  'https://www.googleapis.com/auth/userinfo.email': 'email',
  'https://www.googleapis.com/auth/userinfo.profile': 'profile',
};

/** Sorted, de-duplicated scopes in their short forms: scope sets compare order-insensitively. */
export function normalizeScopes(scopes: readonly string[]): string[] {
  const all = scopes.flatMap((s) => s.split(/\s+/)).filter(Boolean).map((s) => SHORT_FORMS[s] ?? s);
  return [...new Set(all)].sort();
}

export function hasAllScopes(granted: readonly string[], wanted: readonly string[]): boolean {
  const have = new Set(granted);
  return wanted.every((s) => have.has(s));
}

export function missingScopes(granted: readonly string[], wanted: readonly string[]): string[] {
  const have = new Set(granted);
  return normalizeScopes(wanted).filter((s) => !have.has(s));
}

/** The session list in SecretStorage (one JSON value). Invalid entries are dropped on read. */
export class SessionStore {
  constructor(private readonly secrets: Pick<vscode.SecretStorage, 'get' | 'store' | 'delete' | 'onDidChange'>) {}

  readonly onDidChange = (listener: () => unknown): vscode.Disposable =>
    this.secrets.onDidChange((e) => {
      if (e.key === SESSIONS_KEY) listener();
    });

  async read(): Promise<StoredSession[]> {
    const raw = await this.secrets.get(SESSIONS_KEY);
    if (!raw) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return [];
    }
    const list = (parsed as { sessions?: unknown })?.sessions;
    return Array.isArray(list) ? list.filter(isStoredSession).map((s) => ({ ...s, scopes: normalizeScopes(s.scopes) })) : [];
  }

  async write(sessions: readonly StoredSession[]): Promise<void> {
    if (sessions.length === 0) await this.secrets.delete(SESSIONS_KEY);
    else await this.secrets.store(SESSIONS_KEY, JSON.stringify({ version: 1, sessions }));
  }
}

function isStoredSession(value: unknown): value is StoredSession {
  if (typeof value !== 'object' || value === null) return false;
  const s = value as Record<string, unknown>;
  return (
    typeof s.id === 'string' &&
    typeof s.accountId === 'string' &&
    typeof s.accountLabel === 'string' &&
    typeof s.refreshToken === 'string' &&
    s.refreshToken.length > 0 &&
    typeof s.clientId === 'string' &&
    Array.isArray(s.scopes) &&
    s.scopes.every((x) => typeof x === 'string')
  );
}
