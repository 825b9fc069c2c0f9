// Opens an item's bytes through the provider: its openDownload where it has one, else its push-style
// download() turned into a pull stream with back-pressure (one chunk in flight).
import type { DownloadStream, PhotoProvider, RemoteItem } from '../provider';

export async function openItem(provider: PhotoProvider, item: RemoteItem, signal?: AbortSignal): Promise<DownloadStream> {
  if (provider.openDownload) return provider.openDownload(item, signal);
  return { body: pushedStream((write) => provider.download(item, write, signal)), received: 'original' };
}

/** A stream fed by `produce`'s writes; each write resolves once the reader took its chunk. */
function pushedStream(produce: (write: (chunk: Uint8Array) => Promise<void>) => Promise<unknown>): ReadableStream<Uint8Array> {
  let taken: (() => void) | undefined;
  let cancelled: Error | undefined;
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        produce(async (chunk) => {
          if (cancelled) throw cancelled;
          controller.enqueue(chunk);
          // Wait for the reader before accepting the next chunk.
          if ((controller.desiredSize ?? 0) <= 0) await new Promise<void>((resolve) => (taken = resolve));
        }).then(
          () => controller.close(),
          (err: unknown) => controller.error(err),
        );
      },
      pull() {
        taken?.();
        taken = undefined;
      },
      cancel(reason) {
        cancelled = reason instanceof Error ? reason : new Error('The download was cancelled.');
        taken?.();
      },
    },
    { highWaterMark: 1 },
  );
}

/** Counts the bytes going through (for progress) without holding any. */
export async function* counted(body: ReadableStream<Uint8Array>, onBytes: (total: number) => void): AsyncIterable<Uint8Array> {
  const reader = body.getReader();
  let total = 0;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) return;
      total += next.value.byteLength;
      onBytes(total);
      yield next.value;
    }
  } finally {
    // Stopped early (an error, a cancel): release the connection.
    await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
