// A folder on disk as a grid source: its photos and videos (hidden files and folders left out) in
// natural path order. Thumbnails: the EXIF-embedded one when there is one (exifr reads only the
// first bytes), else the whole file goes to the webview to decode — no native dependency.
import { promises as fs } from 'node:fs';
import type * as vscode from 'vscode';
import { englishL10n } from '../util/englishL10n';
import path from 'node:path';
import { BROWSER_DECODABLE, ItemGoneError, NoThumbnailError, kindOfMime, type GridSource, type SourceItem, type ThumbnailInput } from './gridSource';
import { readExifThumbnail } from './exifThumbnail';

export interface LocalFolderOptions {
  /** The MIME type when the file is a photo or video to show, else undefined. Default: by extension via `mime`. */
  mediaType?: (fileName: string) => string | undefined;
  /** Files larger than this are not sent to the webview to decode. Default 64 MB. */
  maxDecodeBytes?: number;
  /** Look in sub-folders too. Default true. */
  recursive?: boolean;
  /** vscode.l10n: why a file has no thumbnail, in the user's language (English without it). */
  l10n?: Pick<typeof vscode.l10n, 't'>;
}

interface Entry {
  relPath: string;
  mimeType: string;
}

// Made on first use (the first Intl object in a process loads locale data; activation needs none).
let collatorMade: Intl.Collator | undefined;
const collator = { compare: (a: string, b: string) => (collatorMade ??= new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })).compare(a, b) };

export function localFolderSource(root: string, options: LocalFolderOptions = {}): GridSource {
  const maxDecodeBytes = options.maxDecodeBytes ?? 64 * 1024 * 1024;
  const l10n = options.l10n ?? englishL10n;
  let listing: Promise<Entry[]> | undefined;
  const list = () => (listing ??= listFolder(root, options));
  const absolute = (item: SourceItem) => path.join(root, ...item.id.split('/'));
  // The first page is described while the panel loads, then asked for: the second ask takes that
  // description (once; later asks stat the file again).
  const described = new Map<string, Promise<SourceItem>>();
  let pageCalls = 0;
  const remember = (relPath: string, item: Promise<SourceItem>) => {
    described.set(relPath, item);
    return item;
  };
  const taken = (relPath: string) => {
    const hit = described.get(relPath);
    described.delete(relPath);
    return hit;
  };

  return {
    title: path.basename(root) || root,
    async count() {
      return (await list()).length;
    },
    async page(offset, limit) {
      const entries = (await list()).slice(offset, offset + limit);
      const first = pageCalls++ === 0;
      return Promise.all(entries.map((e) => (first ? remember(e.relPath, describe(root, e)) : (taken(e.relPath) ?? describe(root, e)))));
    },
    async thumbnail(item, _size, signal) {
      const file = absolute(item);
      const stat = await fs.stat(file).catch(goneIfMissing(item));
      signal.throwIfAborted();
      const embedded = await readExifThumbnail(file).catch(goneIfMissing(item));
      if (embedded) return embedded;
      const mimeType = item.mimeType ?? '';
      if (!BROWSER_DECODABLE.has(mimeType)) {
        const ext = path.extname(file).slice(1).toUpperCase();
        throw new NoThumbnailError(
          ext ? l10n.t('No preview: {0} files without an embedded thumbnail cannot be shown here', ext) : l10n.t('No preview: files of this kind without an embedded thumbnail cannot be shown here'),
        );
      }
      if (stat.size > maxDecodeBytes) throw new NoThumbnailError(l10n.t('No preview: the file is larger than {0} MB', Math.round(maxDecodeBytes / 1048576)));
      const bytes = await fs.readFile(file, { signal }).catch(goneIfMissing(item));
      return { kind: 'decode', bytes, mimeType } satisfies ThumbnailInput;
    },
    async fullImage(item) {
      const file = absolute(item);
      await fs.access(file).catch(goneIfMissing(item));
      return file;
    },
  };
}

/** For .catch(): a missing file becomes ItemGoneError, other errors pass. */
function goneIfMissing(item: SourceItem): (e: NodeJS.ErrnoException) => never {
  return (e) => {
    throw e.code === 'ENOENT' ? new ItemGoneError(item.id) : e;
  };
}

async function describe(root: string, entry: Entry): Promise<SourceItem> {
  const slash = entry.relPath.lastIndexOf('/');
  const base: SourceItem = {
    id: entry.relPath,
    name: entry.relPath.slice(slash + 1),
    detail: slash > 0 ? entry.relPath.slice(0, slash) : undefined,
    kind: kindOfMime(entry.mimeType),
    mimeType: entry.mimeType,
    cacheKey: `file:${entry.relPath}`,
  };
  try {
    const stat = await fs.stat(path.join(root, entry.relPath));
    // Size and mtime in the key: an edited photo gets a new thumbnail.
    return { ...base, cacheKey: `file:${path.join(root, entry.relPath)}:${stat.size}:${Math.trunc(stat.mtimeMs)}` };
  } catch {
    return { ...base, gone: true };
  }
}

async function listFolder(root: string, options: LocalFolderOptions): Promise<Entry[]> {
  const mediaType = options.mediaType ?? (await mimeByExtension());
  const dirents = await fs.readdir(root, { recursive: options.recursive ?? true, withFileTypes: true });
  const entries: Entry[] = [];
  for (const d of dirents) {
    if (!d.isFile()) continue;
    // parentPath (Node ≥ 20.12) or path: the folder that holds the entry.
    const parent = (d as { parentPath?: string }).parentPath ?? (d as { path?: string }).path ?? root;
    const relPath = path.relative(root, path.join(parent, d.name)).split(path.sep).join('/');
    if (relPath.split('/').some((part) => part.startsWith('.'))) continue;
    const mimeType = mediaType(d.name);
    if (mimeType) entries.push({ relPath, mimeType });
  }
  return entries.sort((a, b) => collator.compare(a.relPath, b.relPath));
}

async function mimeByExtension(): Promise<(fileName: string) => string | undefined> {
  // `mime` is an ES module: loaded when first needed.
  const mime = (await import('mime')).default;
  return (fileName) => {
    const type = mime.getType(fileName);
    return type && (type.startsWith('image/') || type.startsWith('video/')) ? type : undefined;
  };
}

