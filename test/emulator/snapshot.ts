import { driveSnapshot } from './drive/control';
import { flickrSnapshot } from './flickr/control';
import type { EmulatorServer } from './server';
import { videoStatus } from './state';

/** GET {control}/state: everything a test may assert on, as plain JSON. */
export function snapshot(server: EmulatorServer): unknown {
  const { state } = server;
  const iso = (ms: number): string => state.clock.iso(ms);
  return {
    now: iso(state.clock.now()),
    publishingStatus: state.publishingStatus,
    videoProcessingMs: state.videoProcessingMs,
    users: state.users.map((u) => ({ sub: u.sub, email: u.email, name: u.name })),
    clients: [...state.clients.values()].map((c) => ({ clientId: c.clientId, type: c.type, projectId: c.projectId, projectNumber: c.projectNumber })),
    albums: [...state.albums.values()].map((a) => ({
      id: a.id,
      title: a.title,
      userSub: a.userSub,
      clientId: a.clientId,
      coverPhotoMediaItemId: a.coverPhotoMediaItemId ?? null,
      mediaItemIds: a.entries.filter((e) => !e.startsWith('e:')),
      enrichments: a.entries.filter((e) => e.startsWith('e:')).map((e) => ({ id: e.slice(2), item: a.enrichments.get(e.slice(2))?.item })),
      createdAt: iso(a.createdAt),
    })),
    mediaItems: [...state.mediaItems.values()].map((m) => ({
      id: m.id,
      userSub: m.userSub,
      filename: m.filename,
      description: m.description ?? null,
      mimeType: m.mimeType,
      sha256: m.sha256,
      size: state.blobs.get(m.sha256)?.length ?? 0,
      creationTime: iso(m.creationTime),
      uploadedAt: iso(m.uploadedAt),
      width: m.width,
      height: m.height,
      video: m.video ? { status: videoStatus(m, state.clock.now()), readyAt: iso(m.video.readyAt) } : null,
      albumIds: [...m.albumIds],
      createdBy: [...m.createdBy],
      seeded: m.seeded,
    })),
    uploadTokens: [...state.uploadTokens.values()].map((u) => ({ sha256: u.sha256, fileName: u.fileName ?? null, mimeType: u.mimeType, expiresAt: iso(u.expiresAt) })),
    uploadSessions: [...state.uploadSessions.values()].map((s) => ({ id: s.id, status: s.status, received: s.received, rawSize: s.rawSize ?? null, fileName: s.fileName ?? null })),
    pickerSessions: [...state.pickerSessions.values()].map((s) => ({
      id: s.id,
      userSub: s.userSub,
      mediaItemsSet: s.mediaItemsSet,
      pickedIds: s.pickedIds,
      maxItemCount: s.maxItemCount,
      deleted: s.deleted,
      expireTime: iso(s.expireTime),
    })),
    mediaFetches: state.mediaFetches.map((f) => ({ ...f, at: iso(f.at) })),
    tokens: {
      access: [...state.accessTokens.values()].map((t) => ({ token: t.token, userSub: t.userSub, clientId: t.clientId, scopes: t.scopes, expiresAt: iso(t.expiresAt), revoked: t.revoked })),
      refresh: [...state.refreshTokens.values()].map((t) => ({ token: t.token, userSub: t.userSub, clientId: t.clientId, scopes: t.scopes, expiresAt: t.expiresAt === undefined ? null : iso(t.expiresAt), revoked: t.revoked })),
    },
    grants: Object.fromEntries([...state.grants].map(([k, v]) => [k, [...v]])),
    revocations: state.revocations,
    requestCounts: Object.fromEntries([...state.requestCounts].sort()),
    inFlight: server.inFlight,
    quota: server.quota.usage(),
    faults: server.faults.pending(),
    drive: driveSnapshot(state),
    flickr: flickrSnapshot(state),
  };
}
