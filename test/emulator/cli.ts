// npm run emulator -- --port <n> [--library <folder>] [--users <n>] [--latency-ms <n>] [--bandwidth-mbps <n>] [--video-processing-ms <n>]
// Prints one line of JSON ({"endpoints":{…,"drive","flickr":{…}},"control":"…"}) once listening; runs until SIGINT/SIGTERM.
import { startEmulator, type EmulatorOptions } from './index';

function parseArgs(argv: string[]): EmulatorOptions {
  const options: EmulatorOptions = {};
  const number = (flag: string, value: string | undefined): number => {
    const n = Number(value);
    if (value === undefined || value === '' || !Number.isFinite(n) || n < 0) {
      process.stderr.write(`emulator: ${flag} needs a non-negative number\n`);
      process.exit(2);
    }
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--port':
        options.port = number(flag, value());
        break;
      case '--library': {
        const dir = value();
        if (!dir) {
          process.stderr.write('emulator: --library needs a folder\n');
          process.exit(2);
        }
        options.libraryDir = dir;
        break;
      }
      case '--users':
        options.users = Math.max(1, Math.floor(number(flag, value())));
        break;
      case '--latency-ms':
        options.latencyMs = number(flag, value());
        break;
      case '--bandwidth-mbps':
        options.bandwidthMbps = number(flag, value());
        break;
      case '--video-processing-ms':
        options.videoProcessingMs = number(flag, value());
        break;
      default:
        process.stderr.write(`emulator: unknown option ${arg}\nusage: npm run emulator -- --port <n> [--library <folder>] [--users <n>] [--latency-ms <n>] [--bandwidth-mbps <n>] [--video-processing-ms <n>]\n`);
        process.exit(2);
    }
  }
  return options;
}

async function main(): Promise<void> {
  const emulator = await startEmulator(parseArgs(process.argv.slice(2)));
  process.stdout.write(`${JSON.stringify({ endpoints: { ...emulator.endpoints, flickr: emulator.flickr }, control: emulator.control })}\n`);
  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`emulator: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
