// What the Picker flow needs from a service where the user picks items in the service's own UI (Google
// Photos' Picker): a session to create, poll, list and delete. In words no service owns; Google's
// implementation is destinations/googlePhotos/picker.ts.
import type { RemoteItem } from '../provider';

export interface PickingSessionInfo {
  id: string;
  /** Where the user picks (opened in the browser). */
  pickUrl: string;
  /** The user pressed Done: the picked items can be listed. */
  done: boolean;
  /** How often to ask again while not done (the service's own pace). */
  pollIntervalMs?: number;
  /** Epoch ms after which polling is pointless (the user has run out of time to pick). */
  pollUntil?: number;
  /** Epoch ms when the session and the access to its items end. */
  expiresAt?: number;
  maxItemCount?: number;
}

/** The session no longer exists (expired, deleted, or never picked in time). */
export class PickingSessionGoneError extends Error {
  override readonly name = 'PickingSessionGoneError';
}

export interface PickingService {
  readonly displayName: string;
  /**
   * Creates a session. `requestId` (a UUID v4) makes a retried create return the same session
   * instead of a second one.
   */
  create(options: { requestId: string; maxItemCount: number }, signal?: AbortSignal): Promise<PickingSessionInfo>;
  get(sessionId: string, signal?: AbortSignal): Promise<PickingSessionInfo>;
  /** Every picked item, page by page, with download addresses valid for a while. */
  list(sessionId: string, signal?: AbortSignal): AsyncIterable<RemoteItem>;
  /** Ends the session (a session already gone is not an error). */
  delete(sessionId: string, signal?: AbortSignal): Promise<void>;
}
