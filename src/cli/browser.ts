// Opening the consent page in a browser (best effort: a headless server has none) and reading a
// redirect URL the user pastes into the terminal.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** True when a browser can be opened here (a desktop, or a display on Linux). */
export function canOpenBrowser(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Starts the system's URL opener; never throws (the URL is printed anyway). */
export function openBrowser(url: string, platform: NodeJS.Platform = process.platform): void {
  const [command, args] = platform === 'darwin' ? ['open', [url]] : platform === 'win32' ? ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener: the user opens the printed address themselves.
  }
}

/** Calls `onLine` for each line typed or piped on stdin until `close()`. */
export function readLines(onLine: (line: string) => void, input: NodeJS.ReadableStream = process.stdin): { close(): void } {
  const rl = createInterface({ input, terminal: false });
  rl.on('line', onLine);
  return {
    close: () => {
      rl.close();
      // readline leaves stdin flowing; let the process exit.
      (input as NodeJS.ReadStream).pause?.();
      (input as NodeJS.ReadStream).unref?.();
    },
  };
}
