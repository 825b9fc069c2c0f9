import { randomBytes, randomInt } from 'node:crypto';
import type { EmulatorState } from '../state';

/** Flickr's permission levels; each includes the ones before it. */
export const PERMS = ['none', 'read', 'write', 'delete'] as const;
export type Perms = (typeof PERMS)[number];
export const permsLevel = (p: Perms): number => PERMS.indexOf(p);

/** The default app, like the Google client pair: Flickr keys are 32 hex digits, secrets 16. */
export const DEFAULT_FLICKR_API_KEY = '5f0c3a9e8b7d41a6c2e94f1b08d7a3c6';
export const DEFAULT_FLICKR_API_SECRET = '7b1e9d04c6a3f258';
export const DEFAULT_FLICKR_APP_NAME = 'Photo Sync (emulator)';

/** Flickr's free-account cap since 2019: 1,000 photos and videos in total. */
export const FREE_ITEM_LIMIT = 1000;
/** What flickr.people.getLimits reports today: photos ≤200 MB, videos ≤1 GB and 180 s. */
export const MAX_PHOTO_BYTES = 200 * 1024 * 1024;
export const MAX_VIDEO_BYTES = 1024 * 1024 * 1024;
/** Flickr's published per-key budget. */
export const DEFAULT_CALLS_PER_HOUR = 3600;
/** How far oauth_timestamp may be from the server's clock (flickraw#54: 35 minutes late was refused). */
export const TIMESTAMP_WINDOW_S = 300;

export interface ApiKeyRecord {
  key: string;
  secret: string;
  name: string;
}

export interface FlickrAccount {
  nsid: string;
  username: string;
  fullname: string;
  accountType: 'free' | 'pro';
  /** Whether the owner is offered the Original size (a secondary source says free accounts lost it). */
  originals: boolean;
}

export interface RequestTokenRecord {
  token: string;
  secret: string;
  apiKey: string;
  callback: string;
  createdAt: number;
  state: 'pending' | 'authorized' | 'denied' | 'used';
  perms?: Perms;
  nsid?: string;
  verifier?: string;
}

export interface AccessTokenRecord {
  token: string;
  secret: string;
  apiKey: string;
  nsid: string;
  perms: Perms;
  createdAt: number;
  revoked: boolean;
}

export interface TagRecord {
  raw: string;
  /** Flickr's normalised form: lower case without spaces or punctuation; machine tags keep ns:pred=value. */
  tag: string;
  machine: boolean;
}

export interface FlickrPhoto {
  id: string;
  owner: string;
  secret: string;
  originalSecret: string;
  /** Sizes h and k and up have a secret of their own. */
  largeSecret: string;
  server: string;
  farm: number;
  sha256: string;
  size: number;
  mime: string;
  originalFormat: string;
  media: 'photo' | 'video';
  width: number;
  height: number;
  title: string;
  description: string;
  tags: TagRecord[];
  isPublic: boolean;
  isFriend: boolean;
  isFamily: boolean;
  safetyLevel: number;
  contentType: number;
  hidden: number;
  /** Unix seconds. */
  datePosted: number;
  /** MySQL datetime in the owner's local time, as Flickr stores it (no time zone). */
  dateTaken: string;
  takenGranularity: number;
  /** True when no capture date was in the file and dateTaken is the upload time. */
  takenUnknown: boolean;
  lastUpdate: number;
}

export interface FlickrPhotoset {
  id: string;
  owner: string;
  title: string;
  description: string;
  primary: string;
  photoIds: string[];
  createdAt: number;
  updatedAt: number;
}

export interface UploadTicket {
  id: string;
  apiKey: string;
  nsid: string;
  createdAt: number;
  completeAt: number;
  status: 'pending' | 'complete' | 'failed';
  photoId?: string;
  /** What becomes the photo when processing ends. */
  pending?: { photo: FlickrPhoto; bytes: Buffer };
  /** Scheduled by the failTickets fault or POST {control}/flickr/tickets/<id>/fail. */
  willFail: boolean;
}

export interface FlickrFaults {
  /** Answer this many otherwise valid signatures with signature_invalid. */
  signatureInvalid: number;
  /** The next N async uploads end with complete=2 (failed conversion). */
  failTickets: number;
  /** REST methods answering a Flickr error code a number of times. */
  methodErrors: { method: string; code: number; message: string; remaining: number }[];
}

export interface MethodCount {
  ok: number;
  fail: number;
}

export class FlickrState {
  apiKeys = new Map<string, ApiKeyRecord>();
  accounts: FlickrAccount[] = [];
  requestTokens = new Map<string, RequestTokenRecord>();
  accessTokens = new Map<string, AccessTokenRecord>();
  /** `${key} ${token} ${timestamp} ${nonce}` → when it may be forgotten (ms). */
  nonces = new Map<string, number>();
  photos = new Map<string, FlickrPhoto>();
  blobs = new Map<string, Buffer>();
  photosets = new Map<string, FlickrPhotoset>();
  /** Per owner, set ids in the user's order (new sets go first). */
  setOrder = new Map<string, string[]>();
  tickets = new Map<string, UploadTicket>();
  /** Per API key, the times (ms) of the calls in the last hour. */
  calls = new Map<string, number[]>();
  callsPerHour = DEFAULT_CALLS_PER_HOUR;
  /** How long an async upload takes to process (emulator clock). */
  ticketDelayMs = 1000;
  counts = new Map<string, MethodCount>();
  faults: FlickrFaults = { signatureInvalid: 0, failTickets: 0, methodErrors: [] };
  private nextPhoto = 53_100_000_001;
  private nextSet = 72_177_720_300_000_001n;
  private nextTicket = 186_001;

  constructor() {
    this.apiKeys.set(DEFAULT_FLICKR_API_KEY, { key: DEFAULT_FLICKR_API_KEY, secret: DEFAULT_FLICKR_API_SECRET, name: DEFAULT_FLICKR_APP_NAME });
    this.accounts.push(
      { nsid: '190012345@N07', username: 'photo.sync.tester', fullname: 'Alex Tester', accountType: 'free', originals: true },
      { nsid: '190067890@N07', username: 'photo.sync.tester2', fullname: 'Sam Tester', accountType: 'free', originals: true },
    );
  }

  account(nsid: string | undefined): FlickrAccount | undefined {
    return this.accounts.find((a) => a.nsid === nsid);
  }

  count(name: string, ok: boolean): void {
    const c = this.counts.get(name) ?? { ok: 0, fail: 0 };
    if (ok) c.ok++;
    else c.fail++;
    this.counts.set(name, c);
  }

  itemCount(nsid: string): number {
    let n = 0;
    for (const p of this.photos.values()) if (p.owner === nsid) n++;
    return n;
  }

  newPhotoId = (): string => String(this.nextPhoto++);
  newSetId = (): string => String(this.nextSet++);
  newTicketId = (): string => String(this.nextTicket++);
}

export const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
/** Tokens look like Flickr's: "72157626737672178-022bbd2f4c2f3432". */
export const newToken = (): string => `72157${String(randomInt(100_000_000_000, 999_999_999_999))}-${hex(8)}`;
/** The code Flickr shows for oauth_callback=oob: nine digits, "123-456-789". */
export const newOobVerifier = (): string => [0, 1, 2].map(() => String(randomInt(100, 1000))).join('-');

const STATES = new WeakMap<EmulatorState, FlickrState>();

/** Flickr's state lives beside the Google state of the same emulator, created on first use. */
export function flickrOf(state: EmulatorState): FlickrState {
  let fs = STATES.get(state);
  if (!fs) {
    fs = new FlickrState();
    STATES.set(state, fs);
  }
  return fs;
}

/** Back to the freshly started state (POST {control}/reset). */
export function resetFlickr(state: EmulatorState): void {
  STATES.set(state, new FlickrState());
}

/** Forgets scheduled Flickr faults (POST {control}/faults {"type":"clear"}). */
export function clearFlickrFaults(state: EmulatorState): void {
  flickrOf(state).faults = { signatureInvalid: 0, failTickets: 0, methodErrors: [] };
}
