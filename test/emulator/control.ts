import type { DriveFaultSpec, DriveSnapshot } from './drive/control';
import type { FaultSpec } from './faults';
import type { FlickrSnapshot } from './flickr/client';

export type { FaultSpec } from './faults';

export interface StateMediaItem {
  id: string;
  userSub: string;
  filename: string;
  description: string | null;
  mimeType: string;
  sha256: string;
  size: number;
  creationTime: string;
  uploadedAt: string;
  width: number;
  height: number;
  /** Videos only: PROCESSING until readyAt (emulator clock), then READY. */
  video: { status: 'PROCESSING' | 'READY'; readyAt: string } | null;
  albumIds: string[];
  createdBy: string[];
  seeded: boolean;
}

export interface StateAlbum {
  id: string;
  title: string;
  userSub: string;
  clientId: string;
  coverPhotoMediaItemId: string | null;
  mediaItemIds: string[];
  enrichments: { id: string; item: unknown }[];
  createdAt: string;
}

export interface StateToken {
  token: string;
  userSub: string;
  clientId: string;
  scopes: string[];
  expiresAt: string | null;
  revoked: boolean;
}

export interface Revocation {
  token: string;
  kind: 'access' | 'refresh';
  clientId: string;
  userSub: string;
  at: string;
}

export interface EmulatorStateSnapshot {
  now: string;
  publishingStatus: 'production' | 'testing';
  videoProcessingMs: number;
  users: { sub: string; email: string; name: string }[];
  clients: { clientId: string; type: string; projectId: string; projectNumber: string }[];
  albums: StateAlbum[];
  mediaItems: StateMediaItem[];
  uploadTokens: { sha256: string; fileName: string | null; mimeType: string; expiresAt: string }[];
  uploadSessions: { id: string; status: string; received: number; rawSize: number | null; fileName: string | null }[];
  pickerSessions: { id: string; userSub: string; mediaItemsSet: boolean; pickedIds: string[]; maxItemCount: number; deleted: boolean; expireTime: string }[];
  /** Every fetch of a base URL's bytes (bounded, oldest first): the item, its owner, whose request got the address, whose token came with the fetch. */
  mediaFetches: { mediaItemId: string; kind: 'library' | 'picker'; params: string; owner: string; obtainedBy: string | null; bearer: string | null; status: number; at: string }[];
  tokens: { access: StateToken[]; refresh: StateToken[] };
  grants: Record<string, string[]>;
  revocations: Revocation[];
  /** Per operation, e.g. "oauth.token", "library.mediaItems.batchCreate", "library.uploads", "picker.sessions.get", "media.download". */
  requestCounts: Record<string, number>;
  /** API requests the emulator is handling right now. */
  inFlight: number;
  quota: { dailyLimit: number; writesPerMinute: number; daily: Record<string, { day: string; used: number }> };
  faults: unknown;
  /** Drive files, sessions, storage (drive/control.ts). */
  drive: DriveSnapshot;
  /** The Flickr emulator (flickr/control.ts). */
  flickr: FlickrSnapshot;
}

/** Typed client for the emulator's control API (`control` from startEmulator or the CLI line). */
export class EmulatorControl {
  constructor(private readonly controlUrl: string) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.controlUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Emulator control ${method} ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  state(): Promise<EmulatorStateSnapshot> {
    return this.call('GET', '/state');
  }

  /** Schedules one fault or several (see FaultSpec). */
  async faults(spec: FaultSpec | DriveFaultSpec | (FaultSpec | DriveFaultSpec)[]): Promise<void> {
    await this.call('POST', '/faults', Array.isArray(spec) ? { faults: spec } : spec);
  }

  /** Picks items for a Picker session as if the user ticked them and pressed Done. */
  async pick(sessionId: string, mediaItemIds: string[]): Promise<void> {
    await this.call('POST', `/picker/${encodeURIComponent(sessionId)}/pick`, { mediaItemIds });
  }

  /** The user deletes an item in Google Photos' web UI (gone from the library and its albums). */
  async deleteMediaItem(id: string): Promise<void> {
    await this.call('POST', `/library/mediaItems/${encodeURIComponent(id)}/delete`, {});
  }

  /** The user removes items from an album in the web UI (they stay in the library). */
  async removeFromAlbum(albumId: string, mediaItemIds: string[]): Promise<void> {
    await this.call('POST', `/library/albums/${encodeURIComponent(albumId)}/remove`, { mediaItemIds });
  }

  /** The user deletes an album in the web UI (its items stay in the library). */
  async deleteAlbum(albumId: string): Promise<void> {
    await this.call('POST', `/library/albums/${encodeURIComponent(albumId)}/delete`, {});
  }

  /** The user renames an album in the web UI. */
  async renameAlbum(albumId: string, title: string): Promise<void> {
    await this.call('POST', `/library/albums/${encodeURIComponent(albumId)}`, { title });
  }

  async reset(): Promise<void> {
    await this.call('POST', '/reset', {});
  }

  async revocations(): Promise<Revocation[]> {
    return (await this.call<{ revocations: Revocation[] }>('GET', '/revocations')).revocations;
  }

  expireTokens(): Promise<void> {
    return this.faults({ type: 'expireTokens' });
  }

  advanceClock(ms: number): Promise<void> {
    return this.faults({ type: 'advanceClock', ms });
  }

  /** Apps in Testing publishing status get refresh tokens that expire after 7 days. */
  setPublishingStatus(status: 'testing' | 'production'): Promise<void> {
    return this.faults({ type: 'publishingStatus', status });
  }

  /** How long videos created from now on stay PROCESSING (emulator-clock ms); advanceClock finishes them. */
  setVideoProcessing(ms: number): Promise<void> {
    return this.faults({ type: 'videoProcessing', ms });
  }

  /** Turns an API off (or on) for the project, as in the Cloud console's API library. */
  setApiEnabled(api: 'library' | 'picker', enabled: boolean): Promise<void> {
    return this.faults({ type: 'apiEnabled', api, enabled });
  }
}
