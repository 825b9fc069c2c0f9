import type { AlbumRecord, AlbumWithCounts, AlbumsWriter, MediaItemRecord, MediaItemsWriter, Page, PageRequest } from './api';
import type { SqlValue } from 'sql.js';
import { bool, jsonList, num, reqNum, reqStr, str, type Row, type Sql } from './sql';

/** The integer key of the album whose remote id is $albumId. */
const ALBUM_KEY = '(SELECT key FROM albums WHERE id = $albumId)';

const ALBUM_FILTER = `($accountId IS NULL OR a.account_id = $accountId) AND ($provider IS NULL OR a.provider = $provider)`;

export class AlbumsRepo implements AlbumsWriter {
  constructor(private readonly sql: Sql) {}

  get(id: string): AlbumRecord | undefined {
    const r = this.sql.get('SELECT * FROM albums WHERE id = $id', { id });
    return r && toAlbum(r);
  }

  byTitle(title: string, filter?: { accountId?: string; provider?: string }): AlbumRecord[] {
    return this.sql
      .all(`SELECT a.* FROM albums a WHERE a.title = $title AND ${ALBUM_FILTER} ORDER BY a.app_created DESC, a.id`, {
        title,
        accountId: filter?.accountId,
        provider: filter?.provider,
      })
      .map(toAlbum);
  }

  listWithCounts(filter?: { accountId?: string; provider?: string; appCreatedOnly?: boolean }, page?: PageRequest): Page<AlbumWithCounts> {
    const where = `WHERE ${ALBUM_FILTER} AND ($appOnly = 0 OR a.app_created = 1)`;
    const params = { accountId: filter?.accountId, provider: filter?.provider, appOnly: filter?.appCreatedOnly ?? false };
    return this.sql.page(
      `SELECT count(*) FROM albums a ${where}`,
      `SELECT a.*, (SELECT count(*) FROM album_items ai WHERE ai.album_key = a.key) AS indexed_items
       FROM albums a ${where} ORDER BY a.title COLLATE NOCASE, a.id`,
      params,
      page,
      (r) => ({ ...toAlbum(r), indexedItems: reqNum(r.indexed_items) }),
    );
  }

  upsert(a: AlbumRecord): void {
    this.sql.run(
      `INSERT INTO albums (id, account_id, provider, title, app_created, item_count, last_listed_at, product_url, cover_media_item_id)
       VALUES ($id, $accountId, $provider, $title, $appCreated, $itemCount, $lastListedAt, $productUrl, $cover)
       ON CONFLICT(id) DO UPDATE SET account_id = excluded.account_id, provider = excluded.provider, title = excluded.title,
         app_created = excluded.app_created, item_count = excluded.item_count, last_listed_at = excluded.last_listed_at,
         product_url = excluded.product_url, cover_media_item_id = excluded.cover_media_item_id`,
      {
        id: a.id,
        accountId: a.accountId,
        provider: a.provider,
        title: a.title,
        appCreated: a.appCreated,
        itemCount: a.itemCount,
        lastListedAt: a.lastListedAt,
        productUrl: a.productUrl,
        cover: a.coverMediaItemId,
      },
    );
  }

  remove(id: string): void {
    this.sql.run('DELETE FROM album_items WHERE album_key = (SELECT key FROM albums WHERE id = $id)', { id });
    this.sql.run('DELETE FROM albums WHERE id = $id', { id });
  }
}

function toAlbum(r: Row): AlbumRecord {
  return {
    id: reqStr(r.id),
    accountId: reqStr(r.account_id),
    provider: reqStr(r.provider),
    title: reqStr(r.title),
    appCreated: bool(r.app_created) ?? false,
    itemCount: num(r.item_count),
    lastListedAt: num(r.last_listed_at),
    productUrl: str(r.product_url),
    coverMediaItemId: str(r.cover_media_item_id),
  };
}

/** A content's first item (by id) and that item's album ids. Shared with the cache: read only. */
type ContentAlbums = { readonly id: string; albumIds: string[] };

export class MediaItemsRepo implements MediaItemsWriter {
  /** contentAlbums answers by account and provider, valid for Sql.libraryVersion === cachedAt. */
  private readonly contentCaches = new Map<string, Map<string, ContentAlbums | null>>();
  private cachedAt = -1;

  constructor(private readonly sql: Sql) {}

  get(id: string): MediaItemRecord | undefined {
    const r = this.sql.get('SELECT * FROM media_items WHERE id = $id', { id });
    return r && toMediaItem(r);
  }

  bySha256(sha256: string, filter?: { accountId?: string; provider?: string }): MediaItemRecord[] {
    return this.sql
      .all('SELECT * FROM media_items WHERE sha256 = $sha256 AND ($accountId IS NULL OR account_id = $accountId) AND ($provider IS NULL OR provider = $provider) ORDER BY id', {
        sha256,
        accountId: filter?.accountId,
        provider: filter?.provider,
      })
      .map(toMediaItem);
  }

  inAlbum(albumId: string, page?: PageRequest): Page<MediaItemRecord> {
    return this.sql.page(
      `SELECT count(*) FROM album_items WHERE album_key = ${ALBUM_KEY}`,
      `SELECT m.* FROM album_items ai JOIN media_items m ON m.key = ai.item_key
       WHERE ai.album_key = ${ALBUM_KEY} ORDER BY ai.position`,
      { albumId },
      page,
      toMediaItem,
    );
  }

  countInAlbum(albumId: string): number {
    return this.sql.scalar(`SELECT count(*) FROM album_items WHERE album_key = ${ALBUM_KEY}`, { albumId });
  }

  albumsOf(mediaItemId: string): string[] {
    return this.sql
      .all('SELECT a.id FROM album_items ai JOIN albums a ON a.key = ai.album_key WHERE ai.item_key = (SELECT key FROM media_items WHERE id = $mediaItemId) ORDER BY a.id', { mediaItemId })
      .map((r) => reqStr(r.id));
  }

  contentAlbums(filter: { accountId: string; provider: string }, sha256s?: readonly string[]): Map<string, ContentAlbums> {
    if (!sha256s) return this.readContentAlbums(filter);
    const out = new Map<string, ContentAlbums>();
    if (sha256s.length === 0) return out;
    // What an earlier call read, while no write touched the library or the upload journal since
    // (Sql.libraryVersion); never filled inside a write, whose changes may still be rolled back.
    const cache = this.sql.writing ? undefined : this.contentCache(filter);
    const missing: string[] = [];
    for (const sha of sha256s) {
      if (out.has(sha)) continue;
      const hit = cache?.get(sha);
      if (hit === undefined) missing.push(sha);
      else if (hit) out.set(sha, hit);
    }
    if (missing.length === 0) return out;
    const read = this.readContentAlbums(filter, [...new Set(missing)]);
    for (const sha of missing) {
      const entry = read.get(sha);
      cache?.set(sha, entry ?? null);
      if (entry) out.set(sha, entry);
    }
    return out;
  }

  /** The cache of contentAlbums for one account and provider, emptied once the library changed. */
  private contentCache(filter: { accountId: string; provider: string }): Map<string, ContentAlbums | null> {
    if (this.cachedAt !== this.sql.libraryVersion) {
      this.contentCaches.clear();
      this.cachedAt = this.sql.libraryVersion;
    }
    const key = `${filter.provider}\n${filter.accountId}`;
    let cache = this.contentCaches.get(key);
    if (!cache) this.contentCaches.set(key, (cache = new Map()));
    return cache;
  }

  private readContentAlbums(filter: { accountId: string; provider: string }, sha256s?: readonly string[]): Map<string, ContentAlbums> {
    const out = new Map<string, ContentAlbums>();
    // Few columns, decoded as little as possible (sql.js pays per column and per string): the
    // content by its position in the list asked for (an integer) rather than its hash, albums by
    // their integer key (each album's id read once per call); no sort — the first item of a content
    // is the one with the smallest id, as before.
    const albumIds = new Map<number, string | undefined>();
    const albumIdOf = (key: number): string | undefined => {
      if (!albumIds.has(key)) albumIds.set(key, str(this.sql.get('SELECT id FROM albums WHERE key = $key', { key })?.id));
      return albumIds.get(key);
    };
    const add = (sha256: string, id: string, albumKey: SqlValue) => {
      let entry = out.get(sha256);
      if (!entry || id < entry.id) out.set(sha256, (entry = { id, albumIds: [] }));
      if (entry.id !== id || albumKey === null) return;
      const albumId = albumIdOf(Number(albumKey));
      if (albumId !== undefined) entry.albumIds.push(albumId);
    };
    const joins = 'LEFT JOIN album_items ai ON ai.item_key = m.key WHERE m.account_id = $accountId AND m.provider = $provider';
    if (!sha256s) {
      this.sql.each(`SELECT m.sha256, m.id, ai.album_key FROM media_items m ${joins} AND m.sha256 IS NOT NULL`, filter, ([sha256, id, albumKey]) => add(String(sha256), String(id), albumKey));
      return out;
    }
    // Only some contents (distinct): json_each as the outer loop (CROSS JOIN keeps that order), one index probe each.
    this.sql.each(`SELECT j.key, m.id, ai.album_key FROM json_each(CAST($shas AS TEXT)) AS j CROSS JOIN media_items m ON m.sha256 = j.value ${joins}`, { ...filter, shas: jsonList(sha256s) }, ([k, id, albumKey]) =>
      add(sha256s[Number(k)], String(id), albumKey),
    );
    return out;
  }

  count(filter?: { accountId?: string }): number {
    return this.sql.scalar('SELECT count(*) FROM media_items WHERE ($accountId IS NULL OR account_id = $accountId)', { accountId: filter?.accountId });
  }

  years(accountId: string): number[] {
    return this.sql
      .all(`SELECT DISTINCT substr(creation_time, 1, 4) AS y FROM media_items WHERE account_id = $accountId AND creation_time GLOB '[0-9][0-9][0-9][0-9]-*' ORDER BY y DESC`, { accountId })
      .map((r) => Number(r.y));
  }

  upsert(m: MediaItemRecord): void {
    this.sql.run(
      `INSERT INTO media_items (id, account_id, provider, filename, mime_type, creation_time, size, sha256, description,
         camera_make, camera_model, width, height, app_created, product_url)
       VALUES ($id, $accountId, $provider, $filename, $mimeType, $creationTime, $size, $sha256, $description,
         $cameraMake, $cameraModel, $width, $height, $appCreated, $productUrl)
       ON CONFLICT(id) DO UPDATE SET account_id = excluded.account_id, provider = excluded.provider, filename = excluded.filename,
         mime_type = excluded.mime_type, creation_time = excluded.creation_time, size = excluded.size, sha256 = excluded.sha256,
         description = excluded.description, camera_make = excluded.camera_make, camera_model = excluded.camera_model,
         width = excluded.width, height = excluded.height, app_created = excluded.app_created, product_url = excluded.product_url`,
      {
        id: m.id,
        accountId: m.accountId,
        provider: m.provider,
        filename: m.filename,
        mimeType: m.mimeType,
        creationTime: m.creationTime,
        size: m.size,
        sha256: m.sha256,
        description: m.description,
        cameraMake: m.cameraMake,
        cameraModel: m.cameraModel,
        width: m.width,
        height: m.height,
        appCreated: m.appCreated,
        productUrl: m.productUrl,
      },
    );
  }

  upsertMany(items: readonly MediaItemRecord[]): void {
    for (const m of items) this.upsert(m);
  }

  addToAlbum(albumId: string, mediaItemIds: readonly string[]): void {
    const albumKey = this.sql.get('SELECT key FROM albums WHERE id = $albumId', { albumId })?.key;
    if (albumKey === undefined) return;
    let next = this.sql.scalar('SELECT coalesce(max(position) + 1, 0) FROM album_items WHERE album_key = $albumKey', { albumKey });
    for (const mediaItemId of mediaItemIds) {
      next += this.sql.run('INSERT OR IGNORE INTO album_items (album_key, item_key, position) SELECT $albumKey, key, $position FROM media_items WHERE id = $mediaItemId', {
        albumKey,
        mediaItemId,
        position: next,
      });
    }
  }

  removeFromAlbum(albumId: string, mediaItemIds: readonly string[]): void {
    for (const mediaItemId of mediaItemIds) {
      this.sql.run(`DELETE FROM album_items WHERE album_key = ${ALBUM_KEY} AND item_key = (SELECT key FROM media_items WHERE id = $mediaItemId)`, { albumId, mediaItemId });
    }
  }

  setAlbumItems(albumId: string, mediaItemIds: readonly string[]): void {
    this.sql.run(`DELETE FROM album_items WHERE album_key = ${ALBUM_KEY}`, { albumId });
    this.addToAlbum(albumId, mediaItemIds);
  }

  remove(id: string): void {
    this.sql.run('DELETE FROM album_items WHERE item_key = (SELECT key FROM media_items WHERE id = $id)', { id });
    this.sql.run('DELETE FROM media_items WHERE id = $id', { id });
  }
}

function toMediaItem(r: Row): MediaItemRecord {
  return {
    id: reqStr(r.id),
    accountId: reqStr(r.account_id),
    provider: reqStr(r.provider),
    filename: reqStr(r.filename),
    mimeType: reqStr(r.mime_type),
    creationTime: str(r.creation_time),
    size: num(r.size),
    sha256: str(r.sha256),
    description: str(r.description),
    cameraMake: str(r.camera_make),
    cameraModel: str(r.camera_model),
    width: num(r.width),
    height: num(r.height),
    appCreated: bool(r.app_created),
    productUrl: str(r.product_url),
  };
}
