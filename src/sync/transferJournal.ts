// Resumable transfers journaled in the index's uploads table, so a large file interrupted by a crash
// or a closed window continues from the bytes the service confirmed instead of starting over. The
// state is the provider's own (opaque JSON); this only keeps it on the row of exactly these bytes.
import type { PhotoIndex } from '../index/api';
import type { LocalUpload, TransferJournal } from './provider';
import { uploadId } from './plan';

/**
 * The live upload row for exactly these bytes (pending or uploading, not yet committed). Matching on
 * the path and size alone would continue an old session with a file edited to the same size since.
 */
function rowFor(index: PhotoIndex, provider: string, accountId: string, file: LocalUpload) {
  const row = index.uploads.get(uploadId(provider, accountId, file.sha256));
  return row && (row.state === 'uploading' || row.state === 'pending') && row.size === file.size && row.sha256 === file.sha256 ? row : undefined;
}

export function indexTransferJournal(index: PhotoIndex, provider: string, accountId: string): TransferJournal {
  return {
    async load(file) {
      return rowFor(index, provider, accountId, file)?.resumeState;
    },
    async save(file, state) {
      const row = rowFor(index, provider, accountId, file);
      if (row) await index.write((w) => w.uploads.update(row.id, { resumeState: state }));
    },
    async clear(file) {
      const row = rowFor(index, provider, accountId, file);
      if (row?.resumeState) await index.write((w) => w.uploads.update(row.id, { resumeState: undefined }));
    },
  };
}
