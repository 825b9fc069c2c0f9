// The body of Drive's one-request upload (uploadType=multipart, manage-uploads: "5 MB or less"): a
// multipart/related body of two parts, the file's JSON metadata, then its bytes. Built here instead of
// by googleapis' generated files.create, which deep-copies its options, expands URL templates and pipes
// the bytes through two Node streams on top of the file's web stream for every call — most of what a
// small photo's upload cost the process. A file up to WHOLE_BODY_MAX is read whole into one buffer
// (one read, sent with a Content-Length); a larger one is streamed, 256 KiB at a time.
import { randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { FileChangedError } from '../../localfs/fileSnapshot';
import { fileRangeStream } from '../../localfs/fileRangeStream';

/** Up to this size the bytes are read whole: a buffer costs fetch far less per request than a stream. */
export const WHOLE_BODY_MAX = 1024 * 1024;

export interface MultipartBody {
  /** `multipart/related; boundary=…` */
  contentType: string;
  body: Buffer | ReadableStream<Uint8Array>;
}

export interface MultipartFile {
  path: string;
  mimeType: string;
  size: number;
}

/**
 * Metadata and the file's bytes as one multipart/related body (RFC 2046 §5.1, RFC 2387). `onBytes`
 * is told of the file's bytes as they are read. A file shorter than `size` fails with FileChangedError.
 */
export async function multipartBody(file: MultipartFile, metadata: object, onBytes?: (n: number) => void): Promise<MultipartBody> {
  const bytes = file.size <= WHOLE_BODY_MAX ? await readWhole(file.path, file.size) : undefined;
  let boundary = newBoundary();
  // A boundary may not occur in the content (RFC 2046 §5.1.1); with 96 random bits it practically
  // never does, and a body read whole is checked.
  while (bytes?.includes(boundary)) boundary = newBoundary();
  const head = Buffer.from(`--${boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n${JSON.stringify(metadata)}\r\n--${boundary}\r\nContent-Type: ${file.mimeType}\r\n\r\n`, 'utf8');
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'latin1');
  const contentType = `multipart/related; boundary=${boundary}`;
  if (bytes) {
    onBytes?.(bytes.length);
    return { contentType, body: Buffer.concat([head, bytes, tail]) };
  }
  const reader = fileRangeStream(file.path, 0, file.size, onBytes).getReader();
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(head);
      },
      async pull(controller) {
        const { done, value } = await reader.read();
        if (!done) return controller.enqueue(value);
        controller.enqueue(tail);
        controller.close();
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 1 },
  );
  return { contentType, body };
}

function newBoundary(): string {
  return `photo_sync_${randomBytes(12).toString('hex')}`;
}

/** Exactly `size` bytes of the file, or FileChangedError when it got shorter since it was scanned. */
async function readWhole(path: string, size: number): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(size);
  const handle = await open(path, 'r');
  try {
    for (let read = 0; read < size; ) {
      const { bytesRead } = await handle.read(buffer, read, size - read, read);
      if (bytesRead === 0) throw new FileChangedError(path, 'size', `${path} got shorter while it was being uploaded; it will be uploaded again.`);
      read += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return buffer;
}
