// Album trees (gphotos-sync's albums/…): each entry points at the one stored copy of a photo. A
// relative symlink first (it survives moving the whole root); where symlinks are refused (Windows
// without the privilege or Developer Mode: EPERM) a hard link. An entry already there is accepted if it
// points at the same file and reported otherwise — never replaced. Nothing is created, and no link is
// followed, outside the root.
import fs from 'node:fs';
import path from 'node:path';
import { nodeFileSystem, type LocalFileSystem } from './fileSystem';
import { deepestExisting, errnoCode, isBelow, isInside } from './paths';

export type LinkKind = 'symlink' | 'hardlink';

export interface AlbumLink {
  linkPath: string;
  kind: LinkKind;
  /** False when a correct entry was already there. */
  created: boolean;
}

export type LinkErrorCode = 'outside-root' | 'not-a-file' | 'conflict' | 'unsupported' | 'io';

export class LinkError extends Error {
  override name = 'LinkError';
  constructor(
    readonly code: LinkErrorCode,
    message: string,
    readonly linkPath: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

export interface LinkOptions {
  /** Try a hard link first (gphotos-sync's --use-hardlinks). Default: symlink first. */
  prefer?: LinkKind;
  fileSystem?: LocalFileSystem;
}

// Answers from symlink()/link() that mean "not on this system or drive", not "something is wrong".
const NOT_SUPPORTED = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** Makes `linkPath` an album entry for `storedFile`; both must be below `root`. */
export async function linkIntoAlbum(root: string, storedFile: string, linkPath: string, options: LinkOptions = {}): Promise<AlbumLink> {
  const fileSystem = options.fileSystem ?? nodeFileSystem;
  const entry = path.resolve(linkPath);
  const outside = (what: string) => new LinkError('outside-root', `${what} is outside the download folder ${path.resolve(root)}; no album entry was made.`, entry);
  if (!isBelow(root, storedFile)) throw outside(path.resolve(storedFile));
  if (!isBelow(root, entry)) throw outside(entry);

  // Compare real locations: a folder on either way may be a link leading out of the root.
  const realRoot = await fs.promises.realpath(root);
  const stored = await storedFileRealPath(storedFile, entry);
  if (!isBelow(realRoot, stored)) throw outside(`${storedFile} (really ${stored})`);
  const linkFolder = path.dirname(entry);
  const existingAncestor = await fs.promises.realpath(await deepestExisting(linkFolder));
  if (!isInside(realRoot, existingAncestor)) throw outside(`${linkFolder} (through ${existingAncestor})`);
  await fs.promises.mkdir(linkFolder, { recursive: true });
  const realLinkFolder = await fs.promises.realpath(linkFolder);
  if (!isInside(realRoot, realLinkFolder)) throw outside(`${linkFolder} (really ${realLinkFolder})`);

  const relativeTarget = path.relative(realLinkFolder, stored);
  const attempts: LinkKind[] = options.prefer === 'hardlink' ? ['hardlink', 'symlink'] : ['symlink', 'hardlink'];
  const refusals: string[] = [];
  for (const kind of attempts) {
    try {
      if (kind === 'symlink') await fileSystem.symlink(relativeTarget, entry);
      else await fileSystem.link(stored, entry);
      return { linkPath: entry, kind, created: true };
    } catch (err) {
      const code = errnoCode(err);
      if (code === 'EEXIST') return existingEntry(entry, realLinkFolder, stored);
      if (code === undefined || !NOT_SUPPORTED.has(code)) {
        throw new LinkError('io', `Could not make the album entry ${entry}: ${err instanceof Error ? err.message : String(err)}`, entry, err);
      }
      refusals.push(`${kind === 'symlink' ? 'symbolic' : 'hard'} link: ${code}`);
    }
  }
  throw new LinkError(
    'unsupported',
    `The drive of ${entry} allows neither symbolic nor hard links (${refusals.join(', ')}), so the album tree cannot be built there. On Windows, turn on Developer Mode to allow symbolic links; FAT and exFAT drives have no links at all.`,
    entry,
  );
}

async function storedFileRealPath(storedFile: string, entry: string): Promise<string> {
  let stat: fs.Stats;
  try {
    stat = await fs.promises.lstat(storedFile);
  } catch (err) {
    throw new LinkError('not-a-file', `${storedFile} does not exist, so no album entry can point at it.`, entry, err);
  }
  // The stored copy itself must be a file, not a link to somewhere else.
  if (!stat.isFile()) throw new LinkError('not-a-file', `${storedFile} is not a plain file, so no album entry is made for it.`, entry);
  return path.join(await fs.promises.realpath(path.dirname(storedFile)), path.basename(storedFile));
}

/** An entry is already at `entry`: fine if it points at `stored`, reported otherwise. */
async function existingEntry(entry: string, realLinkFolder: string, stored: string): Promise<AlbumLink> {
  const stat = await fs.promises.lstat(entry);
  if (stat.isSymbolicLink()) {
    const target = await fs.promises.readlink(entry);
    if (path.resolve(realLinkFolder, target) === stored) return { linkPath: entry, kind: 'symlink', created: false };
    throw new LinkError('conflict', `The album entry ${entry} already exists and points to ${target}, not to ${stored}; it was left as it is.`, entry);
  }
  if (stat.isFile()) {
    const storedStat = await fs.promises.stat(stored);
    if (stat.ino === storedStat.ino && stat.dev === storedStat.dev) return { linkPath: entry, kind: 'hardlink', created: false };
    throw new LinkError('conflict', `${entry} already exists and is a different file than ${stored}; it was left as it is.`, entry);
  }
  throw new LinkError('conflict', `${entry} already exists and is not a file; it was left as it is.`, entry);
}
