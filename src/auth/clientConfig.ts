import type * as vscode from 'vscode';
import { registerSecret } from '../util/redact';
import { AuthError } from './authError';
import { englishL10n } from '../util/englishL10n';

/** The user's own OAuth client ("Desktop app" type in Google Cloud). Lives only in SecretStorage. */
export interface OAuthClientConfig {
  clientId: string;
  clientSecret: string;
  /** From client_secret.json; lets messages link to the right console project. */
  projectId?: string;
}

export const CLIENT_SECRET_KEY = 'photoSync.oauthClient';
const CLIENT_ID_SUFFIX = '.apps.googleusercontent.com';

/**
 * Parses the client_secret.json that the Google Cloud console downloads. Only the `installed`
 * (Desktop app) shape is accepted: a `web` client cannot receive a loopback redirect.
 */
export function parseClientSecretJson(text: string): OAuthClientConfig {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new AuthError('invalidClientFile', 'the file is not valid JSON.');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new AuthError('invalidClientFile', 'the file does not hold a JSON object.');
  }
  const root = json as Record<string, unknown>;
  if (!('installed' in root) && 'web' in root) {
    throw new AuthError('webClient', 'This is a "Web application" client; a "Desktop app" client is needed.');
  }
  const installed = root.installed;
  if (typeof installed !== 'object' || installed === null) {
    throw new AuthError('invalidClientFile', 'it has no "installed" section (the file of a "Desktop app" OAuth client has one).');
  }
  const fields = installed as Record<string, unknown>;
  const config = validateClientCredentials(stringField(fields.client_id), stringField(fields.client_secret));
  const projectId = stringField(fields.project_id);
  return projectId ? { ...config, projectId } : config;
}

/** Checks a client ID and secret typed in (or read from a file). */
export function validateClientCredentials(clientId: string, clientSecret: string): OAuthClientConfig {
  const id = clientId.trim();
  const secret = clientSecret.trim();
  const idProblem = clientIdProblem(id);
  if (idProblem) throw new AuthError('invalidClientFile', idProblem);
  const secretProblem = clientSecretProblem(secret);
  if (secretProblem) throw new AuthError('invalidClientFile', secretProblem);
  return { clientId: id, clientSecret: secret };
}

/** A sentence saying what is wrong with a client ID, or undefined when it looks right. */
/** What is wrong with a client ID as typed (in `l10n`'s language; English for errors and the log). */
export function clientIdProblem(clientId: string, l10n: Pick<typeof vscode.l10n, 't'> = englishL10n): string | undefined {
  const id = clientId.trim();
  if (!id) return l10n.t('the client ID is missing.');
  if (!id.endsWith(CLIENT_ID_SUFFIX) || id.length === CLIENT_ID_SUFFIX.length) return l10n.t('the client ID must end with "{0}".', CLIENT_ID_SUFFIX);
  if (/\s/.test(id)) return l10n.t('the client ID must not contain spaces.');
  return undefined;
}

export function clientSecretProblem(clientSecret: string, l10n: Pick<typeof vscode.l10n, 't'> = englishL10n): string | undefined {
  const secret = clientSecret.trim();
  if (!secret) return l10n.t('the client secret is missing.');
  if (/\s/.test(secret)) return l10n.t('the client secret must not contain spaces.');
  return undefined;
}

function stringField(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** Reads and writes the client in SecretStorage; never anywhere else. */
export class ClientConfigStore {
  constructor(private readonly secrets: Pick<vscode.SecretStorage, 'get' | 'store' | 'delete' | 'onDidChange'>) {}

  readonly onDidChange = (listener: () => unknown): vscode.Disposable =>
    this.secrets.onDidChange((e) => {
      if (e.key === CLIENT_SECRET_KEY) listener();
    });

  async get(): Promise<OAuthClientConfig | undefined> {
    const raw = await this.secrets.get(CLIENT_SECRET_KEY);
    if (!raw) return undefined;
    try {
      const parsed = JSON.parse(raw) as Partial<OAuthClientConfig>;
      const config = validateClientCredentials(stringField(parsed.clientId), stringField(parsed.clientSecret));
      // Older client secrets have no GOCSPX- prefix to recognise them by.
      registerSecret(config.clientSecret);
      return parsed.projectId ? { ...config, projectId: parsed.projectId } : config;
    } catch {
      return undefined;
    }
  }

  async set(config: OAuthClientConfig): Promise<void> {
    registerSecret(config.clientSecret);
    await this.secrets.store(CLIENT_SECRET_KEY, JSON.stringify(config));
  }

  async clear(): Promise<void> {
    await this.secrets.delete(CLIENT_SECRET_KEY);
  }
}
