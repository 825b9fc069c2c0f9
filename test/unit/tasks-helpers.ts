// Shared by the tasks-*.test.ts files.
import { classifyGoogleError, GoogleApiError } from '../../src/google/errors';
import { GOOGLE_PHOTOS_QUOTA } from '../../src/destinations/googlePhotos/rules';
import type { Classifier } from '../../src/tasks/outcome';

/** The queue knows no service: these tests give it Google Photos' classifier, as the pipeline's tasks do. */
export const googleClassify: Classifier = (err, now) => classifyGoogleError(err, now, GOOGLE_PHOTOS_QUOTA);

export interface Gate {
  promise: Promise<void>;
  open(): void;
}

/** A promise the test opens by hand, to hold a task "in flight". */
export function gate(): Gate {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

/** Resolves when the signal aborts, rejecting with its AbortError like fetch does. */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    const fail = () => reject(signal.reason instanceof Error ? signal.reason : new DOMException('Aborted', 'AbortError'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

export const dailyQuotaError = () =>
  new GoogleApiError(429, 'RESOURCE_EXHAUSTED', "Quota exceeded for quota metric 'All requests' and limit 'All requests per day' of service 'photoslibrary.googleapis.com'");

export async function settle(times = 30): Promise<void> {
  for (let i = 0; i < times; i++) await new Promise<void>((r) => setImmediate(r));
}
