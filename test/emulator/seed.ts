import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { readImageFacts } from './exif';
import { newLibraryId } from './ids';
import { probeMedia } from './media-probe';
import { mimeForName } from './mime';
import type { EmulatorState } from './state';

export const DEFAULT_LIBRARY_DIR = path.join(__dirname, '..', 'fixtures', 'photos');

/**
 * Seeds the first test user's whole Google Photos library from the image/video files of a folder
 * (not recursive). These items are what the Picker shows; the Library API never lists them
 * because this app did not create them. Videos in it finished processing long ago.
 */
export async function seedLibrary(state: EmulatorState, dir: string): Promise<void> {
  const owner = state.users[0];
  const names = (await readdir(dir)).filter((n) => mimeForName(n) !== undefined).sort();
  for (const name of names) {
    const bytes = await readFile(path.join(dir, name));
    const probe = probeMedia(bytes);
    // Google's library holds no undecodable files: a folder with one is a broken test setup.
    if (!probe.ok) throw new Error(`${path.join(dir, name)} cannot be in a Google Photos library: ${probe.reason}`);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const video = probe.kind === 'video';
    const facts = video ? undefined : await readImageFacts(bytes);
    const takenAt = facts?.takenAt ?? probe.createdAt;
    const uploadedAt = state.clock.now();
    state.addSeeded(
      {
        id: newLibraryId(),
        userSub: owner.sub,
        createdBy: new Set(),
        sha256,
        filename: name,
        mimeType: probe.mimeType,
        creationTime: takenAt ?? uploadedAt,
        hasCaptureTime: takenAt !== undefined,
        uploadedAt,
        width: probe.width,
        height: probe.height,
        photo: facts?.photo,
        video: video ? { readyAt: 0 } : undefined,
        albumIds: new Set(),
        seeded: true,
      },
      bytes,
    );
  }
}
