// The Google Photos Picker API v1 (photospicker.googleapis.com): sessions the user picks items in, in
// Google's own UI, and the items picked. Every call needs the photospicker.mediaitems.readonly scope,
// asked for the first time the Picker is used (incremental consent), not at sign-in.
import { GoogleApiError } from '../../google/errors';
import type { GoogleHttp, GoogleRequest } from '../../google/http';
import { PICKER_SCOPES } from '../../google/scopes';
import type { RemoteItem } from '../../sync/provider';
import { PickingSessionGoneError, type PickingService, type PickingSessionInfo } from '../../sync/picker/service';
import { BASE_URL_LIFETIME_MS, PICKER_ADDRESS } from './mediaBytes';
import { query } from './library';

export type PickerEndpoint = 'picker.sessions.create' | 'picker.sessions.get' | 'picker.sessions.delete' | 'picker.mediaItems.list';

/** Google's cap on items per session; larger values are coerced to it. */
export const MAX_PICKER_ITEMS = 2000;
export const PICKER_MAX_PAGE_SIZE = 100;

/** PickingSession (reference: photospicker v1 sessions). */
export interface PickingSession {
  id: string;
  pickerUri?: string;
  /** Only while mediaItemsSet is false. Durations like "3.5s". */
  pollingConfig?: { pollInterval?: string; timeoutIn?: string };
  /** RFC 3339. */
  expireTime?: string;
  pickingConfig?: { maxItemCount?: string };
  mediaItemsSet?: boolean;
}

/** PickedMediaItem: ids persist across sessions; no album, description or location fields exist. */
export interface PickedMediaItem {
  id: string;
  /** RFC 3339: when the photo was taken, not uploaded. */
  createTime?: string;
  type?: 'TYPE_UNSPECIFIED' | 'PHOTO' | 'VIDEO';
  mediaFile?: {
    baseUrl?: string;
    mimeType?: string;
    filename?: string;
    mediaFileMetadata?: {
      width?: number;
      height?: number;
      cameraMake?: string;
      cameraModel?: string;
      photoMetadata?: Record<string, unknown>;
      videoMetadata?: { fps?: number; processingStatus?: 'UNSPECIFIED' | 'PROCESSING' | 'READY' | 'FAILED' };
    };
  };
}

/** Typed calls of the Picker API. */
export class PhotosPicker {
  private readonly base: string;

  constructor(
    private readonly http: GoogleHttp,
    pickerRoot: string,
  ) {
    this.base = `${pickerRoot.replace(/\/+$/, '')}/v1`;
  }

  createSession(options: { requestId: string; maxItemCount?: number }, signal?: AbortSignal): Promise<PickingSession> {
    // int64 travels as a JSON string.
    const json = options.maxItemCount ? { pickingConfig: { maxItemCount: String(Math.min(options.maxItemCount, MAX_PICKER_ITEMS)) } } : {};
    return this.call('picker.sessions.create', 'POST', `/sessions${query({ requestId: options.requestId })}`, { json, signal });
  }

  getSession(sessionId: string, signal?: AbortSignal): Promise<PickingSession> {
    return this.call('picker.sessions.get', 'GET', `/sessions/${encodeURIComponent(sessionId)}`, { signal });
  }

  async deleteSession(sessionId: string, signal?: AbortSignal): Promise<void> {
    await this.call('picker.sessions.delete', 'DELETE', `/sessions/${encodeURIComponent(sessionId)}`, { signal });
  }

  /** Every picked item; FAILED_PRECONDITION until the user pressed Done. */
  async *listMediaItems(sessionId: string, signal?: AbortSignal): AsyncIterable<PickedMediaItem> {
    let pageToken: string | undefined;
    do {
      const page = await this.call<{ mediaItems?: PickedMediaItem[]; nextPageToken?: string }>(
        'picker.mediaItems.list',
        'GET',
        `/mediaItems${query({ sessionId, pageSize: PICKER_MAX_PAGE_SIZE, pageToken })}`,
        { signal },
      );
      yield* page.mediaItems ?? [];
      pageToken = page.nextPageToken || undefined;
    } while (pageToken);
  }

  private call<T>(endpoint: PickerEndpoint, method: GoogleRequest['method'], path: string, extra: { json?: unknown; signal?: AbortSignal }): Promise<T> {
    return this.http.json<T>({ endpoint, scopes: PICKER_SCOPES, method, url: `${this.base}${path}`, ...extra });
  }
}

/** "3.5s" (google.protobuf.Duration in JSON) → ms; undefined when absent or malformed. */
export function parseDuration(text: string | undefined): number | undefined {
  const m = text === undefined ? null : /^(\d+(?:\.\d+)?)s$/.exec(text.trim());
  return m ? Math.round(Number(m[1]) * 1000) : undefined;
}

/** A picked item in the pipelines' words; its baseUrl (valid an hour from `listedAt`) needs the token. */
export function pickedToRemoteItem(item: PickedMediaItem, listedAt: number): RemoteItem {
  const file = item.mediaFile ?? {};
  const meta = file.mediaFileMetadata ?? {};
  const mimeType = file.mimeType ?? 'application/octet-stream';
  const video = item.type === 'VIDEO' || (item.type !== 'PHOTO' && mimeType.startsWith('video/'));
  const status = meta.videoMetadata?.processingStatus;
  return {
    id: item.id,
    filename: file.filename ?? '',
    mimeType,
    creationTime: item.createTime,
    width: meta.width,
    height: meta.height,
    cameraMake: meta.cameraMake,
    cameraModel: meta.cameraModel,
    kind: video ? 'video' : 'photo',
    status: video ? (status === 'PROCESSING' ? 'processing' : status === 'FAILED' ? 'failed' : 'ready') : undefined,
    download: file.baseUrl ? { url: file.baseUrl, expiresAt: listedAt + BASE_URL_LIFETIME_MS, via: PICKER_ADDRESS } : undefined,
  };
}

/** Google's Picker as the Picker flow's PickingService. */
export class GooglePickingService implements PickingService {
  readonly displayName = 'Google Photos';

  constructor(
    readonly picker: PhotosPicker,
    private readonly now: () => number = Date.now,
  ) {}

  async create(options: { requestId: string; maxItemCount: number }, signal?: AbortSignal): Promise<PickingSessionInfo> {
    return this.info(await this.picker.createSession(options, signal));
  }

  async get(sessionId: string, signal?: AbortSignal): Promise<PickingSessionInfo> {
    try {
      return this.info(await this.picker.getSession(sessionId, signal));
    } catch (err) {
      throw gone(err, sessionId) ?? err;
    }
  }

  async *list(sessionId: string, signal?: AbortSignal): AsyncIterable<RemoteItem> {
    try {
      for await (const item of this.picker.listMediaItems(sessionId, signal)) yield pickedToRemoteItem(item, this.now());
    } catch (err) {
      throw gone(err, sessionId) ?? err;
    }
  }

  async delete(sessionId: string, signal?: AbortSignal): Promise<void> {
    try {
      await this.picker.deleteSession(sessionId, signal);
    } catch (err) {
      if (!gone(err, sessionId)) throw err;
    }
  }

  private info(s: PickingSession): PickingSessionInfo {
    const now = this.now();
    const timeout = parseDuration(s.pollingConfig?.timeoutIn);
    const expires = s.expireTime ? Date.parse(s.expireTime) : NaN;
    return {
      id: s.id,
      // "For web-based applications, you can append /autoclose": Google's tab closes itself after Done.
      pickUrl: s.pickerUri ? `${s.pickerUri.replace(/\/+$/, '')}/autoclose` : '',
      done: s.mediaItemsSet === true,
      pollIntervalMs: parseDuration(s.pollingConfig?.pollInterval),
      pollUntil: timeout === undefined ? undefined : now + timeout,
      expiresAt: Number.isNaN(expires) ? undefined : expires,
      maxItemCount: s.pickingConfig?.maxItemCount ? Number(s.pickingConfig.maxItemCount) : undefined,
    };
  }
}

/** A 404 on a session: it expired or was deleted. */
function gone(err: unknown, sessionId: string): PickingSessionGoneError | undefined {
  if (err instanceof GoogleApiError && err.httpStatus === 404) {
    return new PickingSessionGoneError(`The Google Photos picking session ${sessionId} has expired or was closed.`);
  }
  return undefined;
}

/** The Picker as the flow's PickingService, sharing the provider's HTTP client (token source, request counting). */
export function pickingServiceFor(provider: { http: GoogleHttp }, pickerRoot: string, now?: () => number): GooglePickingService {
  return new GooglePickingService(new PhotosPicker(provider.http, pickerRoot), now);
}
