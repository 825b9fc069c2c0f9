import { Clock } from './clock';

export interface TestUser {
  /** OpenID `sub`: a 21-digit number, as Google's are. */
  sub: string;
  email: string;
  name: string;
  givenName: string;
  familyName: string;
}

export interface OAuthClientRecord {
  clientId: string;
  clientSecret: string;
  projectId: string;
  projectNumber: string;
  /** "installed" = Desktop app (any loopback port), "web" = exact redirect URIs only. */
  type: 'installed' | 'web';
  redirectUris: string[];
}

export interface AuthCodeRecord {
  code: string;
  clientId: string;
  userSub: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge?: string;
  codeChallengeMethod?: 'S256' | 'plain';
  expiresAt: number;
  used: boolean;
  offline: boolean;
}

export interface RefreshTokenRecord {
  token: string;
  clientId: string;
  userSub: string;
  scopes: string[];
  issuedAt: number;
  /** Set for apps in Testing publishing status (7 days), unless only identity scopes were granted. */
  expiresAt?: number;
  revoked: boolean;
}

export interface AccessTokenRecord {
  token: string;
  clientId: string;
  userSub: string;
  scopes: string[];
  expiresAt: number;
  refreshToken?: string;
  revoked: boolean;
}

export interface Revocation {
  token: string;
  kind: 'access' | 'refresh';
  clientId: string;
  userSub: string;
  at: string;
}

export interface PhotoMetadata {
  cameraMake?: string;
  cameraModel?: string;
  focalLength?: number;
  apertureFNumber?: number;
  isoEquivalent?: number;
  exposureTime?: string;
}

export interface MediaItemRecord {
  id: string;
  userSub: string;
  /** OAuth clients that created it (uploads of identical bytes from the same user map to it). Empty for seeded library items. */
  createdBy: Set<string>;
  sha256: string;
  filename: string;
  description?: string;
  mimeType: string;
  /** From EXIF DateTimeOriginal when present, else the upload time. */
  creationTime: number;
  /** False when the file carried no capture date: date filters never match it (discovery DateFilter). */
  hasCaptureTime: boolean;
  uploadedAt: number;
  width: number;
  height: number;
  photo?: PhotoMetadata;
  /** Videos are PROCESSING until the emulator clock reaches readyAt, then READY. */
  video?: { cameraMake?: string; cameraModel?: string; fps?: number; readyAt: number };
  /** Ordered by when they were added. */
  albumIds: Set<string>;
  seeded: boolean;
}

export interface EnrichmentRecord {
  id: string;
  item: unknown;
}

export interface AlbumRecord {
  id: string;
  userSub: string;
  clientId: string;
  title: string;
  coverPhotoMediaItemId?: string;
  /** Media item ids and enrichment ids in album order ("e:" prefix marks enrichments). */
  entries: string[];
  enrichments: Map<string, EnrichmentRecord>;
  createdAt: number;
}

export interface UploadTokenRecord {
  token: string;
  userSub: string;
  clientId: string;
  sha256: string;
  mimeType: string;
  fileName?: string;
  createdAt: number;
  expiresAt: number;
}

export interface UploadSessionRecord {
  id: string;
  userSub: string;
  clientId: string;
  rawSize?: number;
  mimeType?: string;
  fileName?: string;
  chunks: Buffer[];
  received: number;
  status: 'active' | 'final' | 'cancelled';
  createdAt: number;
  expiresAt: number;
  uploadToken?: string;
}

export interface PickerSessionRecord {
  id: string;
  userSub: string;
  clientId: string;
  requestId?: string;
  maxItemCount: number;
  createdAt: number;
  expireTime: number;
  mediaItemsSet: boolean;
  pickedIds: string[];
  deleted: boolean;
}

export interface BaseUrlRecord {
  key: string;
  mediaItemId: string;
  kind: 'library' | 'picker';
  userSub: string;
  /** The user whose access token the request that issued it carried. */
  obtainedBy?: string;
  expiresAt: number;
}

/** One GET of a base URL's bytes: whose item, whose request got the address, whose token (if any) came with it. */
export interface MediaFetchRecord {
  mediaItemId: string;
  kind: 'library' | 'picker';
  /** The rendition asked for: "d", "dv", "w256-h256-c", … ("" for none). */
  params: string;
  owner: string;
  obtainedBy: string | null;
  /** The user of the bearer token sent with the fetch; null when none (or not a live one) was sent. */
  bearer: string | null;
  status: number;
  at: number;
}

/** Video.status (discovery) / VideoMetadata.processingStatus (Picker) of an item at a moment. */
export function videoStatus(item: MediaItemRecord, now: number): 'PROCESSING' | 'READY' {
  return item.video && item.video.readyAt > now ? 'PROCESSING' : 'READY';
}

/** Default time a new video spends PROCESSING (emulator clock). */
export const DEFAULT_VIDEO_PROCESSING_MS = 5000;

/** Key of EmulatorState.grants. */
export function grantKey(userSub: string, clientId: string): string {
  return `${userSub} ${clientId}`;
}

export const DEFAULT_CLIENT_ID = 'photo-sync-emulator.apps.googleusercontent.com';
export const DEFAULT_CLIENT_SECRET = 'emulator-client-secret';
export const WEB_CLIENT_ID = 'photo-sync-emulator-web.apps.googleusercontent.com';
export const WEB_CLIENT_SECRET = 'emulator-web-client-secret';
/** A second Desktop app of another developer: proves "only what this app created" is enforced. */
export const OTHER_CLIENT_ID = 'another-photo-app.apps.googleusercontent.com';
export const OTHER_CLIENT_SECRET = 'another-photo-app-secret';
export const PROJECT_ID = 'photo-sync-emulator';
export const PROJECT_NUMBER = '418072966351';

/** Everything the emulator remembers. `reset()` returns to the freshly started state (seeded library kept). */
export class EmulatorState {
  readonly clock = new Clock();
  users: TestUser[] = [];
  readonly clients = new Map<string, OAuthClientRecord>();
  authCodes = new Map<string, AuthCodeRecord>();
  /** `${userSub} ${clientId}` → scopes the user granted that client. */
  grants = new Map<string, Set<string>>();
  refreshTokens = new Map<string, RefreshTokenRecord>();
  accessTokens = new Map<string, AccessTokenRecord>();
  revocations: Revocation[] = [];
  /** Pending consent screens by id. */
  consentRequests = new Map<string, Record<string, string>>();
  /** Apps in Testing publishing status get 7-day refresh tokens. */
  publishingStatus: 'production' | 'testing' = 'production';
  /** How long a video created from now on stays PROCESSING; reset() restores the start value. */
  videoProcessingMs: number;

  blobs = new Map<string, Buffer>();
  mediaItems = new Map<string, MediaItemRecord>();
  /** `${userSub} ${sha256}` → media item id, for server-side dedup. */
  itemsByHash = new Map<string, string>();
  albums = new Map<string, AlbumRecord>();
  uploadTokens = new Map<string, UploadTokenRecord>();
  uploadSessions = new Map<string, UploadSessionRecord>();
  pickerSessions = new Map<string, PickerSessionRecord>();
  baseUrls = new Map<string, BaseUrlRecord>();
  /** Every fetch of a base URL that named a known address, oldest first (bounded). */
  mediaFetches: MediaFetchRecord[] = [];
  requestCounts = new Map<string, number>();
  /** Seeded library (blob hash → item) survives reset(). */
  private seeded: { blobs: Map<string, Buffer>; items: MediaItemRecord[] } = { blobs: new Map(), items: [] };

  constructor(
    userCount: number,
    private readonly initialVideoProcessingMs = DEFAULT_VIDEO_PROCESSING_MS,
  ) {
    this.videoProcessingMs = initialVideoProcessingMs;
    for (let i = 1; i <= userCount; i++) {
      const first = i === 1 ? 'Alex' : `Alex${i}`;
      this.users.push({
        sub: String(108_000_000_000_000_000_000n + BigInt(i) * 7_919_000_000_000_000n),
        email: i === 1 ? 'photo.sync.tester@gmail.com' : `photo.sync.tester${i}@gmail.com`,
        name: `${first} Tester`,
        givenName: first,
        familyName: 'Tester',
      });
    }
    this.clients.set(DEFAULT_CLIENT_ID, {
      clientId: DEFAULT_CLIENT_ID,
      clientSecret: DEFAULT_CLIENT_SECRET,
      projectId: PROJECT_ID,
      projectNumber: PROJECT_NUMBER,
      type: 'installed',
      redirectUris: ['http://localhost'],
    });
    this.clients.set(OTHER_CLIENT_ID, {
      clientId: OTHER_CLIENT_ID,
      clientSecret: OTHER_CLIENT_SECRET,
      projectId: 'another-photo-app',
      projectNumber: '730119884215',
      type: 'installed',
      redirectUris: ['http://localhost'],
    });
    this.clients.set(WEB_CLIENT_ID, {
      clientId: WEB_CLIENT_ID,
      clientSecret: WEB_CLIENT_SECRET,
      projectId: PROJECT_ID,
      projectNumber: PROJECT_NUMBER,
      type: 'web',
      redirectUris: ['https://photo-sync.example.invalid/oauth2callback'],
    });
  }

  user(sub: string): TestUser | undefined {
    return this.users.find((u) => u.sub === sub);
  }

  userByEmail(email: string): TestUser | undefined {
    return this.users.find((u) => u.email.toLowerCase() === email.toLowerCase());
  }

  /** Adds a seeded (library-only, Picker-visible) item; kept across reset(). */
  addSeeded(item: MediaItemRecord, bytes: Buffer): void {
    this.seeded.blobs.set(item.sha256, bytes);
    this.seeded.items.push(item);
    this.blobs.set(item.sha256, bytes);
    this.mediaItems.set(item.id, item);
  }

  reset(): void {
    this.clock.reset();
    this.authCodes.clear();
    this.grants.clear();
    this.refreshTokens.clear();
    this.accessTokens.clear();
    this.revocations = [];
    this.consentRequests.clear();
    this.publishingStatus = 'production';
    this.videoProcessingMs = this.initialVideoProcessingMs;
    this.blobs = new Map(this.seeded.blobs);
    this.mediaItems = new Map(this.seeded.items.map((i) => [i.id, i]));
    this.itemsByHash.clear();
    this.albums.clear();
    this.uploadTokens.clear();
    this.uploadSessions.clear();
    this.pickerSessions.clear();
    this.baseUrls.clear();
    this.mediaFetches = [];
    this.requestCounts.clear();
  }
}
