// yauzl's random-access reader for a file, with one fix for Takeout-sized directories: yauzl reads
// each central-directory record with two tiny reads (and a stream per read by default), which for
// 100k entries costs hundreds of thousands of thread-pool round trips. Small reads are served from a
// 1 MiB window that moves forward with the directory; entry data still streams from the file.
import fs from 'node:fs';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';

const WINDOW = 1024 * 1024;
const SMALL = 64 * 1024;

export class WindowedFileReader extends yauzl.RandomAccessReader {
  private window: { start: number; data: Buffer } | undefined;

  constructor(
    private readonly fd: number,
    private readonly fileSize: number,
  ) {
    super();
  }

  static async open(file: string): Promise<{ reader: WindowedFileReader; size: number }> {
    const fd = await new Promise<number>((resolve, reject) => fs.open(file, 'r', (err, opened) => (err ? reject(err) : resolve(opened))));
    const size = fs.fstatSync(fd).size;
    return { reader: new WindowedFileReader(fd, size), size };
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    if (length > SMALL) {
      fs.read(this.fd, buffer, offset, length, position, (err, bytesRead) => callback(err ?? (bytesRead < length ? new Error('unexpected EOF') : null)));
      return;
    }
    const w = this.window;
    if (w && position >= w.start && position + length <= w.start + w.data.length) {
      w.data.copy(buffer, offset, position - w.start, position - w.start + length);
      return callback(null);
    }
    // Only the directory walk (the first small reads, then reads running off the window's end) moves
    // the window; a jump elsewhere (a local header) is read as is, so media bytes are never pulled in.
    const sequential = !w || (position >= w.start && position <= w.start + w.data.length);
    if (!sequential) {
      fs.read(this.fd, buffer, offset, length, position, (err, bytesRead) => callback(err ?? (bytesRead < length ? new Error('unexpected EOF') : null)));
      return;
    }
    const size = Math.min(WINDOW, Math.max(0, this.fileSize - position));
    const data = Buffer.allocUnsafe(size);
    fs.read(this.fd, data, 0, size, position, (err, bytesRead) => {
      if (err) return callback(err);
      if (bytesRead < length) return callback(new Error('unexpected EOF'));
      this.window = { start: position, data: data.subarray(0, bytesRead) };
      data.copy(buffer, offset, 0, length);
      callback(null);
    });
  }

  override _readStreamForRange(start: number, end: number): Readable {
    if (end - start <= SMALL) {
      // A sidecar: one read, no file stream to set up.
      const data = Buffer.allocUnsafe(end - start);
      const out = new Readable({ read() {} });
      this.read(data, 0, data.length, start, (err) => (err ? out.destroy(err) : (out.push(data), out.push(null))));
      return out;
    }
    // Positional reads on the shared descriptor: a file stream would own (and on error close) it.
    const fd = this.fd;
    let position = start;
    return new Readable({
      highWaterMark: 256 * 1024,
      read() {
        const length = Math.min(256 * 1024, end - position);
        if (length <= 0) return void this.push(null);
        const chunk = Buffer.allocUnsafe(length);
        fs.read(fd, chunk, 0, length, position, (err, bytesRead) => {
          if (err) return void this.destroy(err);
          position += bytesRead;
          this.push(bytesRead > 0 ? chunk.subarray(0, bytesRead) : null); // 0: the file ends early
        });
      },
    });
  }

  private closed = false;

  override close(callback: (err: Error | null) => void): void {
    // Closed once: yauzl's reference count and the failed-open path can both get here.
    if (this.closed) return void setImmediate(() => callback(null));
    this.closed = true;
    fs.close(this.fd, (err) => callback(err ?? null));
  }
}
