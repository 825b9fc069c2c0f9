import { randomUUID } from 'node:crypto';
import { authenticate, requireAnyScope } from './auth';
import { issueBaseUrl, requesterSub } from './baseurls';
import type { RequestContext } from './context';
import { applyFields, compileFields } from './fields';
import { escapeHtml, page } from './html';
import { failedPrecondition, invalidArgument, notFound, type Reply } from './http';
import { decodePageToken, rfc3339 } from './library/common';
import { libraryOf, liveSession, pickItems } from './picker-state';
import type { Route, Service } from './routes';
import { SCOPE } from './scopes';
import { videoStatus, type AccessTokenRecord, type EmulatorState, type MediaItemRecord, type PickerSessionRecord } from './state';
import { thumbnail } from './thumbnails';
import { bindMethods, matchMethod, PICKER_DISCOVERY, validateBody, validateQuery, type BoundMethod } from './validate';

const SERVICE = 'photospicker.googleapis.com';
const MAX_ITEMS = 2000;
const SESSION_LIFETIME_MS = 60 * 60 * 1000;
const PICKING_WINDOW_MS = 30 * 60 * 1000;
const POLL_INTERVAL = '5s';
export const PICKER_UI_PREFIX = '/photos/picker';

function pickerUri(ctx: RequestContext, s: PickerSessionRecord): string {
  return `${ctx.origin}${PICKER_UI_PREFIX}/${s.id}`;
}

function sessionJson(ctx: RequestContext, s: PickerSessionRecord): Record<string, unknown> {
  const json: Record<string, unknown> = { id: s.id, pickerUri: pickerUri(ctx, s) };
  if (!s.mediaItemsSet) {
    const left = Math.max(0, s.createdAt + PICKING_WINDOW_MS - ctx.state.clock.now());
    json.pollingConfig = { pollInterval: POLL_INTERVAL, timeoutIn: `${(left / 1000).toFixed(3).replace(/\.?0+$/, '')}s` };
  }
  json.expireTime = rfc3339(s.expireTime);
  json.pickingConfig = { maxItemCount: String(s.maxItemCount) };
  json.mediaItemsSet = s.mediaItemsSet;
  return json;
}

function ownedSession(ctx: RequestContext, token: AccessTokenRecord, id: string): PickerSessionRecord {
  const s = liveSession(ctx.state, id);
  if (!s || s.userSub !== token.userSub || s.clientId !== token.clientId) throw notFound('Requested entity was not found.');
  return s;
}

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

async function createSession(ctx: RequestContext, token: AccessTokenRecord): Promise<Reply> {
  const body = await ctx.json();
  validateBody(PICKER_DISCOVERY, 'PickingSession', body);
  const requestId = ctx.url.searchParams.get('requestId') ?? undefined;
  if (requestId !== undefined && !UUID_V4.test(requestId)) throw invalidArgument('requestId must be a UUID version 4 string (8-4-4-4-12 hex digits).');
  if (requestId) {
    const existing = [...ctx.state.pickerSessions.values()].find((s) => s.requestId === requestId && s.userSub === token.userSub && s.clientId === token.clientId && !s.deleted);
    if (existing) return { status: 200, body: sessionJson(ctx, existing) };
  }
  const raw = (body.pickingConfig as { maxItemCount?: unknown } | undefined)?.maxItemCount;
  let maxItemCount = MAX_ITEMS;
  if (raw !== undefined && raw !== null && raw !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 0) throw invalidArgument('pickingConfig.maxItemCount must be a non-negative integer.');
    maxItemCount = n === 0 ? MAX_ITEMS : Math.min(n, MAX_ITEMS);
  }
  const now = ctx.state.clock.now();
  const session: PickerSessionRecord = {
    id: randomUUID(),
    userSub: token.userSub,
    clientId: token.clientId,
    requestId,
    maxItemCount,
    createdAt: now,
    expireTime: now + SESSION_LIFETIME_MS,
    mediaItemsSet: false,
    pickedIds: [],
    deleted: false,
  };
  ctx.state.pickerSessions.set(session.id, session);
  return { status: 200, body: sessionJson(ctx, session) };
}

function pickedItemJson(ctx: RequestContext, item: MediaItemRecord): Record<string, unknown> {
  const metadata: Record<string, unknown> = { width: item.width, height: item.height };
  const camera = item.video ?? item.photo ?? {};
  if (camera.cameraMake) metadata.cameraMake = camera.cameraMake;
  if (camera.cameraModel) metadata.cameraModel = camera.cameraModel;
  if (item.video) metadata.videoMetadata = { ...(item.video.fps ? { fps: item.video.fps } : {}), processingStatus: videoStatus(item, ctx.state.clock.now()) };
  else {
    const { cameraMake: _m, cameraModel: _o, ...photo } = item.photo ?? {};
    metadata.photoMetadata = photo;
  }
  return {
    id: item.id,
    createTime: rfc3339(item.creationTime),
    type: item.video ? 'VIDEO' : 'PHOTO',
    mediaFile: { baseUrl: issueBaseUrl(ctx.state, ctx.origin, item.id, 'picker', item.userSub, requesterSub(ctx)), mimeType: item.mimeType, filename: item.filename, mediaFileMetadata: metadata },
  };
}

function listPicked(ctx: RequestContext, token: AccessTokenRecord): Reply {
  const q = ctx.url.searchParams;
  const sessionId = q.get('sessionId');
  if (!sessionId) throw invalidArgument('sessionId is required.');
  const session = ownedSession(ctx, token, sessionId);
  const rawSize = q.get('pageSize');
  const n = rawSize === null || rawSize === '' ? 0 : Number(rawSize);
  if (!Number.isInteger(n)) throw invalidArgument(`Invalid value at 'page_size' (TYPE_INT32), "${rawSize}"`);
  if (n < 0) throw invalidArgument('pageSize must not be negative.');
  const size = n === 0 ? 50 : Math.min(n, 100);
  if (!session.mediaItemsSet) throw failedPrecondition('The user has not finished picking media items in this session. Poll sessions.get until mediaItemsSet is true.');
  const offset = decodePageToken(q.get('pageToken') ?? undefined, session.id);
  const ids = session.pickedIds.slice(offset, offset + size);
  const body: Record<string, unknown> = {
    mediaItems: ids.map((id) => ctx.state.mediaItems.get(id)).filter((m): m is MediaItemRecord => m !== undefined).map((m) => pickedItemJson(ctx, m)),
  };
  if (offset + size < session.pickedIds.length) body.nextPageToken = Buffer.from(JSON.stringify({ o: offset + size, f: session.id })).toString('base64url');
  return { status: 200, body };
}

async function pickerMethod(ctx: RequestContext, token: AccessTokenRecord, name: string, pathParams: Record<string, string>): Promise<Reply> {
  switch (name) {
    case 'sessions.create':
      return createSession(ctx, token);
    case 'sessions.get':
      return { status: 200, body: sessionJson(ctx, ownedSession(ctx, token, pathParams.sessionId)) };
    case 'sessions.delete': {
      ownedSession(ctx, token, pathParams.sessionId).deleted = true;
      return { status: 200, body: {} };
    }
    default:
      return listPicked(ctx, token);
  }
}

const BOUND = bindMethods(PICKER_DISCOVERY);

function apiRoute(bound: BoundMethod, pathParams: Record<string, string>): Route {
  return {
    op: `picker.${bound.name}`,
    handle: async (ctx) => {
      const rpc = `google.photos.picker.v1.PickerService.${bound.name}`;
      const token = authenticate(ctx.state, ctx.req, ctx.url, SERVICE, rpc);
      requireAnyScope(token, [SCOPE.picker], SERVICE, rpc);
      validateQuery(PICKER_DISCOVERY, bound.method, ctx.url.searchParams);
      const mask = compileFields(PICKER_DISCOVERY, bound.method.response?.$ref, ctx.url.searchParams.get('fields'));
      return applyFields(await pickerMethod(ctx, token, bound.name, pathParams), mask);
    },
  };
}

export const pickerService: Service = {
  prefix: '/photospicker',
  resolve: (method, path) => {
    const match = matchMethod(BOUND, method, path);
    return match ? apiRoute(match.bound, match.pathParams) : undefined;
  },
};

// ---- The picker web page (what Google Photos shows at pickerUri) ----

function html(status: number, body: string): Reply {
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'X-Frame-Options': 'DENY' }, body };
}

function uiSession(state: EmulatorState, id: string): PickerSessionRecord | undefined {
  return liveSession(state, id);
}

function pickerPage(ctx: RequestContext, sessionId: string, autoclose: boolean): Reply {
  const s = uiSession(ctx.state, sessionId);
  if (!s) return html(404, page('Google Photos', '<h1>This link is no longer available</h1><p class="error">The picking session was not found or has expired.</p>'));
  if (s.mediaItemsSet) return html(410, page('Google Photos', '<h1>Done</h1><p>You already finished picking in this session. Return to the app to pick more.</p>'));
  const user = ctx.state.user(s.userSub);
  const items = libraryOf(ctx.state, s.userSub);
  // Links relative to the page itself (…/picker/<id> or …/picker/<id>/autoclose), so the page also works
  // where a proxy serves it under another path (code-server opens 127.0.0.1 URLs via /proxy/<port>/).
  const id = encodeURIComponent(s.id);
  const base = autoclose ? '.' : id;
  const cells = items
    .map(
      (m) => `<label><img src="${base}/thumb/${encodeURIComponent(m.id)}" alt="${escapeHtml(m.filename)}" loading="lazy">
<input type="checkbox" name="item" value="${escapeHtml(m.id)}"> ${escapeHtml(m.filename)}<br><span class="muted">${escapeHtml(rfc3339(m.creationTime).slice(0, 10))}</span></label>`,
    )
    .join('\n');
  return html(
    200,
    page(
      'Google Photos - Select photos',
      `<h1>Select up to ${s.maxItemCount} items</h1>
<p class="muted">Signed in as ${escapeHtml(user?.email ?? '')} · ${items.length} items in your library</p>
<form method="POST" action="${autoclose ? 'autoclose' : id}" id="picker">
<div class="grid">
${cells || '<p>Your library is empty.</p>'}
</div>
<p><button type="submit" class="primary" id="done">Done</button> <span class="muted" id="count">0 selected</span></p>
</form>
<script>
// Like Google's picker: a live count, and no ticking past the session's limit.
const boxes = [...document.querySelectorAll('input[name=item]')];
const max = ${s.maxItemCount};
const update = () => {
  const n = boxes.filter((b) => b.checked).length;
  document.getElementById('count').textContent = n + ' selected';
  for (const b of boxes) b.disabled = !b.checked && n >= max;
};
for (const b of boxes) b.addEventListener('change', update);
</script>`,
    ),
  );
}

async function pickerDone(ctx: RequestContext, sessionId: string, autoclose: boolean): Promise<Reply> {
  const form = await ctx.form();
  const s = uiSession(ctx.state, sessionId);
  if (!s) return html(404, page('Google Photos', '<h1>This link is no longer available</h1>'));
  try {
    pickItems(ctx.state, sessionId, form.getAll('item'));
  } catch (err) {
    return html(400, page('Google Photos', `<h1>Could not finish picking</h1><p class="error">${escapeHtml(err instanceof Error ? err.message : String(err))}</p>`));
  }
  if (autoclose) return html(200, page('Google Photos', '<p>Done. This window closes itself.</p>', '<script>window.close()</script>'));
  const n = s.pickedIds.length;
  return html(200, page('Google Photos', `<h1>Done</h1><p>${n} ${n === 1 ? 'item' : 'items'} selected. You can return to the app.</p>`));
}

function pickerThumb(ctx: RequestContext, sessionId: string, itemId: string): Reply {
  const s = uiSession(ctx.state, sessionId);
  const item = ctx.state.mediaItems.get(itemId);
  const bytes = item ? ctx.state.blobs.get(item.sha256) : undefined;
  if (!s || !item || !bytes || item.userSub !== s.userSub) return { status: 404, body: 'Not Found' };
  return { status: 200, headers: { 'Content-Type': 'image/jpeg' }, body: thumbnail(item.sha256, item.video ? Buffer.alloc(0) : bytes, { width: 256, height: 256, crop: false }, item) };
}

export const pickerUiService: Service = {
  prefix: PICKER_UI_PREFIX,
  resolve: (method, path) => {
    const m = /^\/([^/]+)(\/autoclose)?$/.exec(path);
    if (m) {
      const id = decodeURIComponent(m[1]);
      const autoclose = m[2] !== undefined;
      if (method === 'GET') return { op: 'pickerUi.page', handle: (ctx) => pickerPage(ctx, id, autoclose) };
      if (method === 'POST') return { op: 'pickerUi.done', handle: (ctx) => pickerDone(ctx, id, autoclose) };
      return undefined;
    }
    const t = /^\/([^/]+)\/thumb\/([^/]+)$/.exec(path);
    if (t && method === 'GET') return { op: 'pickerUi.thumb', handle: (ctx) => pickerThumb(ctx, decodeURIComponent(t[1]), decodeURIComponent(t[2])) };
    return undefined;
  },
};
