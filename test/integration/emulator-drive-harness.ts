// Shared set-up for the emulator-drive*.test.ts files: an emulator, a signed-in OAuth client and
// googleapis' own Drive v3 client (@googleapis/drive, what the product will use) pointed at it.
import { drive as driveClient, type drive_v3 } from '@googleapis/drive';
import type { OAuth2Client } from 'google-auth-library';
import { EmulatorControl } from '../emulator/control';
import { DriveControl } from '../emulator/drive/control-client';
import { FOLDER_MIME } from '../emulator/drive/state';
import { startEmulator, type RunningEmulator } from '../emulator/index';
import { SCOPE } from '../emulator/scopes';
import { oauthClient, signInForTest } from '../emulator/sign-in';
import { WEB_CLIENT_ID, WEB_CLIENT_SECRET } from '../emulator/state';

export { FOLDER_MIME };

/**
 * googleapis-common 8 pins google-auth-library 10.5.0 while the product uses ^10.9.1: the same
 * OAuth2Client at run time, but TypeScript sees two classes (private fields). One cast, here.
 */
export const asDriveAuth = (client: OAuth2Client): drive_v3.Options['auth'] => client as unknown as drive_v3.Options['auth'];
export const DRIVE_FILE = SCOPE.driveFile;

export interface DriveApp {
  client: OAuth2Client;
  token: string;
  drive: drive_v3.Drive;
  /** Every URL googleapis asked fetch for, in order. */
  requests: string[];
}

export interface DriveHarness {
  emu: RunningEmulator;
  control: EmulatorControl;
  web: DriveControl;
  /** googleapis' rootUrl for the emulator (origin + '/'). */
  rootUrl: string;
  app: DriveApp;
  /** Signs in another OAuth client (e.g. OTHER_CLIENT_ID) and gives it its own Drive client. */
  signIn(opts?: { clientId?: string; clientSecret?: string; scopes?: string[] }): Promise<DriveApp>;
  /** Signs in the "web" client (same Cloud project as the default one, no loopback redirect). */
  signInWeb(): Promise<DriveApp>;
  close(): Promise<void>;
}

/**
 * googleapis talks through this fetch: it records each URL and refuses any that would leave the
 * machine, so a request meant for the emulator that heads for www.googleapis.com fails the test
 * here, deterministically, whatever the network (and never carries a token to Google).
 */
export function guardedFetch(origin: string, requests: string[]): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    requests.push(url);
    if (!url.startsWith(`${origin}/`)) throw new Error(`blocked: ${url} would leave the machine (expected ${origin})`);
    return fetch(input, init);
  };
}

export async function startDrive(): Promise<DriveHarness> {
  const emu = await startEmulator();
  const rootUrl = `${emu.endpoints.drive}/`;
  const appFor = (client: OAuth2Client, token: string): DriveApp => {
    const requests: string[] = [];
    // retry:false: each emulator answer reaches the test as it was sent (the fault tests count requests).
    const drive = driveClient({ version: 'v3', auth: asDriveAuth(client), rootUrl, retry: false, fetchImplementation: guardedFetch(emu.endpoints.drive, requests) });
    return { client, token, drive, requests };
  };
  const signIn = async (opts: { clientId?: string; clientSecret?: string; scopes?: string[] } = {}): Promise<DriveApp> => {
    const { client, tokens } = await signInForTest(emu.endpoints, opts.scopes ?? ['openid', 'email', DRIVE_FILE], { clientId: opts.clientId, clientSecret: opts.clientSecret });
    return appFor(client, tokens.access_token ?? '');
  };
  const signInWeb = async (): Promise<DriveApp> => {
    // A web client redirects to its registered https URI: take the code from the consent answer's Location.
    const client = oauthClient(emu.endpoints, 'https://photo-sync.example.invalid/oauth2callback', WEB_CLIENT_ID, WEB_CLIENT_SECRET);
    const html = await (await fetch(client.generateAuthUrl({ scope: [DRIVE_FILE] }))).text();
    const consentId = /name="consent_id" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const form = new URLSearchParams({ consent_id: consentId, account: 'photo.sync.tester@gmail.com', decision: 'allow' });
    const answer = await fetch(emu.endpoints.authorize, { method: 'POST', body: form, redirect: 'manual' });
    const code = new URL(answer.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const { tokens } = await client.getToken(code);
    client.setCredentials(tokens);
    return appFor(client, tokens.access_token ?? '');
  };
  try {
    const app = await signIn();
    return { emu, control: new EmulatorControl(emu.control), web: new DriveControl(emu.control), rootUrl, app, signIn, signInWeb, close: () => emu.close() };
  } catch (err) {
    await emu.close();
    throw err;
  }
}

/** Deterministic bytes that are not a repeated pattern (so an offset error changes the hash). */
export function testBytes(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Drive's error envelope as gaxios hands it over (GaxiosError.response.data). */
export interface DriveErrorBody {
  error: { code: number; message: string; status?: string; errors: { domain: string; reason: string; message: string; location?: string; locationType?: string }[] };
}

/** Runs a googleapis call that must fail; returns the HTTP status and Drive's envelope. */
export async function driveFailure(call: Promise<unknown>): Promise<{ status: number; body: DriveErrorBody; headers: Headers | Record<string, string> }> {
  try {
    await call;
  } catch (err) {
    const res = (err as { response?: { status: number; data: DriveErrorBody; headers: Headers } }).response;
    if (!res) throw err;
    return { status: res.status, body: res.data, headers: res.headers };
  }
  throw new Error('expected the Drive call to fail');
}
