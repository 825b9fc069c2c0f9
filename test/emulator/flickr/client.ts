/** Types and a typed client for the Flickr part of the control API (`{control}/flickr/…`). */

export type FlickrFaultSpec =
  /** The next N otherwise valid signatures are answered signature_invalid. */
  | { type: 'signatureInvalid'; times?: number }
  /** The next N async uploads end with complete=2. */
  | { type: 'failTickets'; times?: number }
  /** How long async processing takes on the emulator clock (default 1000 ms). */
  | { type: 'ticketDelay'; ms: number }
  /** Calls per key per hour before the 429 (default 3600). */
  | { type: 'rateLimit'; perHour: number }
  /** A REST method (or "*") answers Flickr error `code` N times, e.g. 105 or 106. */
  | { type: 'error'; method: string; code: number; message?: string; times?: number }
  | { type: 'clear' };

export interface FlickrSnapshot {
  apiKeys: { key: string; secret: string; name: string }[];
  accounts: { nsid: string; username: string; fullname: string; accountType: 'free' | 'pro'; originals: boolean; itemCount: number }[];
  requestTokens: { token: string; apiKey: string; callback: string; state: 'pending' | 'authorized' | 'denied' | 'used'; perms: string | null; nsid: string | null }[];
  tokens: { token: string; apiKey: string; nsid: string; perms: string; revoked: boolean; createdAt: string }[];
  photos: {
    id: string;
    owner: string;
    sha256: string;
    size: number;
    title: string;
    description: string;
    tags: string[];
    date_taken: string;
    date_taken_unknown: boolean;
    date_taken_granularity: number;
    date_posted: number;
    is_public: boolean;
    media: 'photo' | 'video';
    original_format: string;
    width: number;
    height: number;
    photosetIds: string[];
  }[];
  /** In each owner's order (new sets first). */
  photosets: { id: string; owner: string; title: string; description: string; primary: string; photoIds: string[] }[];
  tickets: { id: string; apiKey: string; nsid: string; status: 'pending' | 'complete' | 'failed'; photoId: string | null }[];
  /** Per REST method ("flickr.photosets.create"), "upload", "upload.async", "oauth.request_token", "oauth.access_token", "static"… */
  requestCounts: Record<string, { ok: number; fail: number }>;
  rateLimit: { perHour: number; lastHour: Record<string, number> };
  ticketDelayMs: number;
  faults: { signatureInvalid: number; failTickets: number; methodErrors: { method: string; code: number; message: string; remaining: number }[] };
}

export class FlickrControl {
  constructor(private readonly controlUrl: string) {}

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${this.controlUrl}/flickr${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`Flickr control ${method} ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  state(): Promise<FlickrSnapshot> {
    return this.call('GET', '/state');
  }

  faults(spec: FlickrFaultSpec | FlickrFaultSpec[]): Promise<unknown> {
    return this.call('POST', '/faults', Array.isArray(spec) ? { faults: spec } : spec);
  }

  /** Registers an app's key pair (random when omitted). */
  registerKey(pair: { key?: string; secret?: string; name?: string } = {}): Promise<{ key: string; secret: string; name: string }> {
    return this.call('POST', '/keys', pair);
  }

  setAccount(change: { nsid?: string; accountType?: 'free' | 'pro'; originals?: boolean }): Promise<unknown> {
    return this.call('POST', '/accounts', change);
  }

  /** Photos put on Flickr outside the API (the website). */
  async addSitePhotos(count: number, opts: { nsid?: string; title?: string } = {}): Promise<string[]> {
    return (await this.call<{ photoIds: string[] }>('POST', '/photos', { count, ...opts })).photoIds;
  }

  /** The user removes the app under "Apps you're using". */
  async revokeToken(token: string): Promise<void> {
    await this.call('POST', `/tokens/${encodeURIComponent(token)}/revoke`, {});
  }

  /** The user deletes an album on Flickr's website (its photos stay). */
  async deletePhotosetOnSite(id: string): Promise<void> {
    await this.call('POST', `/photosets/${encodeURIComponent(id)}/delete`, {});
  }

  async deletePhotoOnSite(id: string): Promise<void> {
    await this.call('POST', `/photos/${encodeURIComponent(id)}/delete`, {});
  }

  /** Processing of a pending async upload fails now. */
  async failTicket(id: string): Promise<void> {
    await this.call('POST', `/tickets/${encodeURIComponent(id)}/fail`, {});
  }
}
