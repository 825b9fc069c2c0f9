import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { readImageFacts } from './exif';
import { newLibraryId } from './ids';
import { isVideoMime, mimeForName } from './mime';
import type { EmulatorState } from './state';

export const DEFAULT_LIBRARY_DIR = path.join(__dirname, '..', 'fixtures', 'photos');

/**
 * Seeds the first test user's whole Google Photos library from the image/video files of a folder
 * (not recursive). These items are what the Picker shows; the Library API never lists them
 * because this app did not create them.
 */
export async function seedLibrary(state: EmulatorState, dir: string): Promise<void> {
  const owner = state.users[0];
  const names = (await readdir(dir)).filter((n) => mimeForName(n) !== undefined).sort();
  for (const name of names) {
    const bytes = await readFile(path.join(dir, name));
    const mimeType = mimeForName(name) ?? 'application/octet-stream';
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const video = isVideoMime(mimeType);
    const facts = video ? undefined : await readImageFacts(bytes);
    const uploadedAt = state.clock.now();
    state.addSeeded(
      {
        id: newLibraryId(),
        userSub: owner.sub,
        createdBy: new Set(),
        sha256,
        filename: name,
        mimeType,
        creationTime: facts?.takenAt ?? uploadedAt,
        hasCaptureTime: facts?.takenAt !== undefined,
        uploadedAt,
        width: facts?.width ?? 0,
        height: facts?.height ?? 0,
        photo: facts?.photo,
        video: video ? { status: 'READY' } : undefined,
        albumIds: new Set(),
        seeded: true,
      },
      bytes,
    );
  }
}
