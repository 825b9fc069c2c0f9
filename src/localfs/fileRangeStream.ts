import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { FileChangedError } from './fileSnapshot';

const READ_SIZE = 256 * 1024;

/**
 * Bytes `[start, start + length)` of a file as a web stream, read on demand 256 KiB at a time so
 * memory stays bounded whatever the file size. A file that shrinks mid-read errors the stream.
 */
export function fileRangeStream(path: string, start: number, length: number, onBytes?: (n: number) => void): ReadableStream<Uint8Array> {
  let handle: FileHandle | undefined;
  let position = start;
  const end = start + length;
  const close = async () => {
    const h = handle;
    handle = undefined;
    await h?.close();
  };
  return new ReadableStream<Uint8Array>(
    {
      async start() {
        handle = await open(path, 'r');
      },
      async pull(controller) {
        const wanted = Math.min(READ_SIZE, end - position);
        if (wanted <= 0 || !handle) {
          await close();
          controller.close();
          return;
        }
        const buffer = Buffer.allocUnsafe(wanted);
        const { bytesRead } = await handle.read(buffer, 0, wanted, position);
        if (bytesRead === 0) {
          await close();
          controller.error(new FileChangedError(path, 'size', `${path} got shorter while it was being uploaded; it will be uploaded again.`));
          return;
        }
        position += bytesRead;
        onBytes?.(bytesRead);
        controller.enqueue(new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead));
      },
      async cancel() {
        await close();
      },
    },
    // One chunk read ahead: fetch pulls the next only when the socket took the previous one.
    { highWaterMark: 1 },
  );
}
