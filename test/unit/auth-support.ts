// Shared set-up for the auth tests: the real provider and loopback flow over the vscode fake,
// signing in against the Google emulator. The fake's openExternal plays the browser.
import type * as vscode from 'vscode';
import { startEmulator, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, type RunningEmulator } from '../emulator/index';
import { completeConsent } from '../emulator/consent';
import { EmulatorControl } from '../emulator/control';
import type { SecretStore} from '../helpers/vscodeFake';
import { createVsCode, type UIKind } from '../helpers/vscodeFake';
import { ClientConfigStore, type OAuthClientConfig } from '../../src/auth/clientConfig';
import { GooglePhotosAuthProvider } from '../../src/auth/provider';
import { LoopbackSignIn, type LoopbackSignInOptions } from '../../src/auth/signInFlow';
import type { AuthError } from '../../src/auth/authError';
import type { Logger } from '../../src/util/logger';

export const EMULATOR_CLIENT: OAuthClientConfig = { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET, projectId: 'photo-sync-emulator' };

/** What the "browser" does with the next consent page. */
export type BrowserAction = { deny?: boolean; account?: string } | ((authUrl: string) => Promise<void>) | 'ignore';

/** A logger that keeps every line verbatim (no redaction), so a leak shows. */
export function captureLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink =
    (level: string) =>
    (m: string | Error, ...a: unknown[]) =>
      lines.push(`${level} ${[m, ...a].map((x) => (x instanceof Error ? `${x.message} ${x.stack ?? ''}` : typeof x === 'string' ? x : JSON.stringify(x))).join(' ')}`);
  return { log: { trace: sink('trace'), debug: sink('debug'), info: sink('info'), warn: sink('warn'), error: sink('error') }, lines };
}

export interface Window {
  fake: ReturnType<typeof createVsCode>;
  vs: typeof vscode;
  provider: GooglePhotosAuthProvider;
  flow: LoopbackSignIn;
  clientStore: ClientConfigStore;
  problems: AuthError[];
  lines: string[];
  /** Queue what the browser does on the next consent pages (default: Allow with the first account). */
  browser: BrowserAction[];
  /** Auth URLs the extension opened. */
  authUrls: string[];
  /** Moves this window's clock (refresh margin) forward. */
  advance(ms: number): void;
}

export interface WindowOptions {
  store?: SecretStore;
  client?: OAuthClientConfig | null;
  flow?: Partial<LoopbackSignInOptions>;
  uiKind?: UIKind;
}

/** One VS Code window: a provider over a view of `store` (shared store = several windows). */
export async function openWindow(emu: RunningEmulator, options: WindowOptions = {}): Promise<Window> {
  const browser: BrowserAction[] = [];
  const authUrls: string[] = [];
  const fake = createVsCode({
    secrets: options.store,
    uiKind: options.uiKind,
    onOpenExternal: async (url) => {
      if (!url.startsWith(emu.endpoints.authorize)) return;
      authUrls.push(url);
      const action = browser.shift() ?? {};
      if (action === 'ignore') return;
      if (typeof action === 'function') await action(url);
      else await completeConsent(url, action);
    },
  });
  const vs = fake.vs as unknown as typeof vscode;
  const { log, lines } = captureLogger();
  const clientStore = new ClientConfigStore(fake.secrets);
  if (options.client !== null) await clientStore.set(options.client ?? EMULATOR_CLIENT);
  const flow = new LoopbackSignIn({ vs, log, timeoutMs: 20_000, pasteOfferDelayMs: 60_000, ...options.flow });
  const problems: AuthError[] = [];
  let offset = 0;
  const provider = new GooglePhotosAuthProvider({
    vs,
    secrets: fake.secrets,
    clientStore,
    endpoints: () => emu.endpoints,
    signIn: flow.run,
    log,
    onProblem: (p) => problems.push(p),
    now: () => Date.now() + offset,
  });
  await provider.initialize();
  return { fake, vs, provider, flow, clientStore, problems, lines, browser, authUrls, advance: (ms) => (offset += ms) };
}

export async function withEmulator<T>(fn: (emu: RunningEmulator, control: EmulatorControl) => Promise<T>, users = 2): Promise<T> {
  const emu = await startEmulator({ users });
  try {
    return await fn(emu, new EmulatorControl(emu.control));
  } finally {
    await emu.close();
  }
}

/** The consent step without following the redirect: where the browser would have gone. */
export async function consentRedirectLocation(authUrl: string, decision: 'allow' | 'deny' = 'allow'): Promise<string> {
  const html = await (await fetch(authUrl)).text();
  const action = /<form[^>]*method="POST"[^>]*action="([^"]+)"/i.exec(html)?.[1];
  const consentId = /name="consent_id" value="([^"]+)"/.exec(html)?.[1];
  const account = /name="account" value="([^"]+)" checked/.exec(html)?.[1] ?? '';
  if (!action || !consentId) throw new Error(`No consent form: ${html.slice(0, 200)}`);
  const res = await fetch(new URL(action, authUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ consent_id: consentId, account, decision }),
    redirect: 'manual',
  });
  await res.arrayBuffer();
  const location = res.headers.get('location');
  if (!location) throw new Error(`Consent answered ${res.status} without a redirect`);
  return location;
}
