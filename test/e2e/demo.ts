// `npm run demo [-- --port <n>]`: Photo Sync in a real VS Code against the built-in Google emulator,
// for anyone without a Google account (or network) at hand. Packages the extension, installs
// code-server once (./setup), starts the emulator seeded with the sample photos, opens a sample
// "My Photos" folder, prints the address to open, and stops everything on Ctrl-C.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmulator } from '../emulator/index';
import { ensureCodeServer } from './setup';
import { ensurePackagedExtension, REPO_ROOT, startVsCodeServer, type VsCodeServer } from './harness';

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures');
const SAMPLE_PHOTOS = path.join(FIXTURES, 'photos');
const CLIENT_SECRET = path.join(FIXTURES, 'client_secret.json');

/** Sorts the sample photos into a couple of folders the way a camera roll export might look. */
function sampleFolderFor(fileName: string): string {
  if (/^PXL_/i.test(fileName)) return 'Phone';
  if (/^IMG_2019/i.test(fileName)) return path.join('Trips', '2019 Summer');
  if (/^DSC/i.test(fileName)) return 'Camera';
  return '';
}

/** The sample library: photos in a couple of sub-folders, plus the emulator's OAuth client file. */
function sampleLibrary(): { from: string; to: string }[] {
  const photos = readdirSync(SAMPLE_PHOTOS).map((name) => ({ from: path.join(SAMPLE_PHOTOS, name), to: path.join(sampleFolderFor(name), name) }));
  // Ready for "Photo Sync: Set Up Google OAuth Client" → "Import client_secret.json…".
  return [...photos, { from: CLIENT_SECRET, to: 'client_secret.json' }];
}

function portFromArgs(argv: string[]): number {
  const index = argv.indexOf('--port');
  const value = index >= 0 ? argv[index + 1] : process.env.PHOTO_SYNC_DEMO_PORT;
  if (value === undefined) return 0;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port needs a port number, got "${value}"`);
  return port;
}

async function main(): Promise<void> {
  const port = portFromArgs(process.argv.slice(2));
  console.log('Packaging the extension…');
  const vsix = await ensurePackagedExtension();
  const install = await ensureCodeServer((line) => console.log(line));

  const root = mkdtempSync(path.join(os.tmpdir(), 'photo-sync-demo-'));
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping code-server and the emulator…');
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const emulator = await startEmulator({ port: 0, libraryDir: SAMPLE_PHOTOS });
    stops.push(() => emulator.close());

    const server: VsCodeServer = await startVsCodeServer(root, { workspaceName: 'My Photos', copyIntoWorkspace: sampleLibrary() }, emulator.endpoints, { install, vsix, port });
    stops.push(() => server.stop());

    console.log(`
Photo Sync demo is running — open this address in a browser on this machine:

    ${server.url}

The extension talks to the built-in Google emulator at ${new URL(emulator.endpoints.token).origin}, seeded with
${readdirSync(SAMPLE_PHOTOS).length} sample photos. The open folder is a sample photo library: ${server.dirs.workspace}
To try it:
  1. Click the Photo Sync icon in the activity bar.
  2. "Set Up Google OAuth Client" → "Import client_secret.json…" → ${path.join(server.dirs.workspace, 'client_secret.json')}
  3. "Sign In to Google Photos" and press Allow on the emulator's consent page.
code-server's log: ${path.join(server.dirs.userData, 'logs')}

Press Ctrl-C to stop.`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await stopAll(1);
  }
}

void main();
