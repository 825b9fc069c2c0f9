// Resumable upload sessions journaled in the index's uploads table, so a large file interrupted
// by a crash or a closed window continues from the bytes Google confirmed instead of starting over.
import type { PhotoIndex } from '../index/api';
import type { LocalUpload } from './provider';

export interface JournaledSession {
  sessionUrl: string;
  granularity: number;
  offset: number;
}

/** Matches GooglePhotosProvider's UploadSessionJournal (structurally: the engine does not import Google code). */
export interface SessionJournal {
  load(file: LocalUpload): Promise<JournaledSession | undefined>;
  save(file: LocalUpload, session: JournaledSession): Promise<void>;
  clear(file: LocalUpload): Promise<void>;
}

/**
 * The live upload row for exactly these bytes (uploading, not yet committed). Matching on the path
 * and size alone would continue an old session with a file edited to the same size since.
 */
function rowFor(index: PhotoIndex, accountId: string, file: LocalUpload) {
  return index.uploads
    .byLocalPath(file.path)
    .find((r) => r.accountId === accountId && (r.state === 'uploading' || r.state === 'pending') && r.size === file.size && file.sha256 !== undefined && r.sha256 === file.sha256);
}

export function indexUploadSessionJournal(index: PhotoIndex, accountId: string): SessionJournal {
  // The index has no granularity column; a session resumed after a restart sends the rest in one
  // streamed request (still bounded memory), which the protocol allows for the final chunk.
  return {
    async load(file) {
      const row = rowFor(index, accountId, file);
      return row?.sessionUrl ? { sessionUrl: row.sessionUrl, granularity: 0, offset: row.sessionOffset ?? 0 } : undefined;
    },
    async save(file, session) {
      const row = rowFor(index, accountId, file);
      if (row) await index.write((w) => w.uploads.update(row.id, { sessionUrl: session.sessionUrl, sessionOffset: session.offset }));
    },
    async clear(file) {
      const row = rowFor(index, accountId, file);
      if (row?.sessionUrl) await index.write((w) => w.uploads.update(row.id, { sessionUrl: undefined, sessionOffset: undefined }));
    },
  };
}
