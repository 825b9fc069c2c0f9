import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * One direction of the emulated network link (uploads or downloads). Every request shares it, so
 * parallel transfers split the bandwidth as they would on a real connection instead of each getting
 * the full cap. Bytes reserve link time as they pass; nothing is saved up while the link is idle.
 */
export class Link {
  private freeAt = 0;

  constructor(readonly bitsPerSecond: number) {}

  /** Books n bytes on the link; returns how long to wait until they have "passed". */
  reserve(n: number): number {
    const now = Date.now();
    const start = Math.max(now, this.freeAt);
    this.freeAt = start + (n * 8 * 1000) / this.bitsPerSecond;
    return Math.max(0, this.freeAt - now);
  }
}

/**
 * Per-request byte accounting for the request body and the response body: pacing on the shared
 * links (bytes are paced as they arrive / leave, not delayed in one lump) and an optional connection
 * reset once `resetAfterBytes` bytes have gone through (request body first, then response body).
 */
export class Transfer {
  private bytes = 0;

  constructor(
    private readonly links: { up: Link; down: Link } | undefined,
    private readonly resetAfterBytes: number | undefined,
  ) {}

  /** How many more bytes may pass before the reset fault fires (Infinity when none). */
  remainingBeforeReset(): number {
    return this.resetAfterBytes === undefined ? Infinity : Math.max(0, this.resetAfterBytes - this.bytes);
  }

  /** Neither paced nor due to be cut: the body can go out in one write. */
  unshaped(): boolean {
    return this.links === undefined && this.resetAfterBytes === undefined;
  }

  /** Counts bytes that went one way; returns the milliseconds to wait so the link cap holds. */
  count(n: number, direction: 'up' | 'down'): number {
    this.bytes += n;
    return this.links && n > 0 ? this.links[direction].reserve(n) : 0;
  }
}

export interface BodyResult {
  bytes: Buffer;
  /** The connection was cut (by a fault or the client) before the body ended. */
  aborted: boolean;
  /** More than maxBytes arrived; bytes holds only the first maxBytes. */
  tooLarge: boolean;
}

export function readBody(req: IncomingMessage, transfer: Transfer, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let stored = 0;
    let tooLarge = false;
    let done = false;
    const finish = (aborted: boolean): void => {
      if (done) return;
      done = true;
      resolve({ bytes: Buffer.concat(chunks), aborted, tooLarge });
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      const allowed = transfer.remainingBeforeReset();
      const part = chunk.length > allowed ? chunk.subarray(0, allowed) : chunk;
      const wait = transfer.count(part.length, 'up');
      if (stored + part.length > maxBytes) {
        tooLarge = true;
        const room = Math.max(0, maxBytes - stored);
        if (room > 0) chunks.push(part.subarray(0, room));
        stored = maxBytes;
      } else {
        chunks.push(part);
        stored += part.length;
      }
      if (part.length < chunk.length) {
        req.socket.destroy();
        finish(true);
        return;
      }
      if (wait > 0) {
        req.pause();
        setTimeout(() => req.resume(), wait);
      }
    });
    req.on('end', () => finish(false));
    req.on('aborted', () => finish(true));
    req.on('error', () => finish(true));
    req.on('close', () => finish(!req.complete));
  });
}

const CHUNK = 16 * 1024;

/** Writes a response body in paced chunks; cuts the connection if the reset budget runs out. */
export async function writeBody(res: ServerResponse, bytes: Buffer, transfer: Transfer): Promise<void> {
  if (transfer.unshaped()) {
    res.end(bytes);
    return;
  }
  for (let offset = 0; offset < bytes.length; offset += CHUNK) {
    const allowed = transfer.remainingBeforeReset();
    const chunk = bytes.subarray(offset, Math.min(bytes.length, offset + CHUNK));
    if (chunk.length > allowed) {
      if (allowed > 0) res.write(chunk.subarray(0, allowed));
      transfer.count(allowed, 'down');
      await new Promise<void>((r) => setTimeout(r, 5));
      res.socket?.destroy();
      return;
    }
    const wait = transfer.count(chunk.length, 'down');
    if (wait > 0) await new Promise<void>((r) => setTimeout(r, wait));
    if (res.destroyed) return;
    if (!res.write(chunk)) {
      await new Promise<void>((r) => {
        res.once('drain', () => r());
        res.once('close', () => r());
      });
    }
  }
  if (bytes.length === 0 && transfer.remainingBeforeReset() === 0) {
    res.socket?.destroy();
    return;
  }
  res.end();
}
