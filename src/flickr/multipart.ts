// A multipart/form-data body (RFC 7578) streamed from disk: the signed text fields, then the file
// read 256 KiB at a time, with a known Content-Length and byte progress — what Node's FormData does
// not give. Field names are ASCII; values are UTF-8; the file name is escaped as browsers do.
import { randomBytes } from 'node:crypto';
import { fileRangeStream } from '../localfs/fileRangeStream';

export interface MultipartFile {
  field: string;
  path: string;
  name: string;
  type: string;
  size: number;
}

export interface MultipartBody {
  contentType: string;
  length: number;
  /** A fresh stream each call (a body can be read once). */
  stream(onFileBytes?: (done: number) => void): ReadableStream<Uint8Array>;
}

/** WHATWG's escaping of names in Content-Disposition: `"` → %22, CR → %0D, LF → %0A. */
function quoted(value: string): string {
  return value.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function multipartBody(fields: Readonly<Record<string, string>>, file: MultipartFile): MultipartBody {
  const boundary = `----PhotoSync${randomBytes(16).toString('hex')}`;
  const head = Buffer.from(
    Object.entries(fields)
      .map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(k)}"\r\n\r\n${v}\r\n`)
      .join('') +
      `--${boundary}\r\nContent-Disposition: form-data; name="${quoted(file.field)}"; filename="${quoted(file.name)}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length: head.length + file.size + tail.length,
    stream(onFileBytes) {
      let sent = 0;
      const parts: (() => ReadableStream<Uint8Array>)[] = [
        () => once(head),
        () => (file.size === 0 ? once(new Uint8Array(0)) : fileRangeStream(file.path, 0, file.size, (n) => onFileBytes?.((sent += n)))),
        () => once(tail),
      ];
      let current: ReadableStreamDefaultReader<Uint8Array> | undefined;
      return new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            for (;;) {
              if (!current) {
                const next = parts.shift();
                if (!next) return controller.close();
                current = next().getReader();
              }
              const { done, value } = await current.read();
              if (!done) return controller.enqueue(value);
              current = undefined;
            }
          },
          async cancel(reason) {
            await current?.cancel(reason);
          },
        },
        { highWaterMark: 1 },
      );
    },
  };
}

function once(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}
