// The index side of Picker imports: picked items as rows (for the sidebar's "Imported"), the session's
// end state, and deleting the session at the service.
import type { DownloadState, PhotoIndex, PickedItemRecord, PickerSessionState } from '../../index/api';
import type { Logger } from '../../util/logger';
import type { RemoteItem } from '../provider';
import type { DownloadSource } from '../download/source';
import { pickedSource } from '../download/source';
import type { PickingService } from './service';

/** Records the picked items (keeping the state of rows already there) and the session's state. */
export async function recordPicked(index: PhotoIndex, sessionId: string, items: readonly RemoteItem[], state: PickerSessionState): Promise<void> {
  await index.write((w) => {
    const known = new Map(allPicked(w.picker, sessionId).map((i) => [i.id, i]));
    w.picker.upsertItems(
      items.map((item) => {
        const was = known.get(item.id);
        const downloadState: DownloadState = was?.downloadState ?? 'pending';
        return {
          sessionId,
          id: item.id,
          filename: item.filename,
          mimeType: item.mimeType,
          createTime: item.creationTime,
          width: item.width,
          height: item.height,
          cameraMake: item.cameraMake,
          cameraModel: item.cameraModel,
          localPath: was?.localPath,
          downloadState,
          bytes: was?.bytes,
          lastError: was?.lastError,
        };
      }),
    );
    const row = w.picker.session(sessionId);
    if (row) w.picker.upsertSession({ ...row, mediaItemsSet: true, state });
  });
}

/** Every picked item of a session (up to 2,000), page by page. */
export function allPicked(picker: Pick<PhotoIndex['picker'], 'items'>, sessionId: string): PickedItemRecord[] {
  const all: PickedItemRecord[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = picker.items(sessionId, { offset, limit: 1000 });
    all.push(...page.items);
    if (all.length >= page.total || page.items.length === 0) return all;
  }
}

/** A picked-items source that walks the list already fetched; refreshes list the session again. */
export function pickedListSource(service: PickingService, sessionId: string, title: string, items: readonly RemoteItem[]): DownloadSource {
  const source = pickedSource(service, sessionId, title);
  return {
    ...source,
    async *list() {
      yield* items;
    },
  };
}

/**
 * The session's end: its state in the index and, unless `deleteRemote` is false (VS Code closing: the
 * next start finishes it), sessions.delete at the service. A failed delete is left for the next start.
 */
export async function settleSession(
  deps: { service: PickingService; index: PhotoIndex; log: Logger },
  sessionId: string,
  state: PickerSessionState,
  lastError: string | undefined,
  deleteRemote: boolean,
): Promise<void> {
  let deleted = false;
  if (deleteRemote) {
    try {
      await deps.service.delete(sessionId);
      deleted = true;
    } catch (err) {
      deps.log.warn(`Could not delete the picking session ${sessionId} (${(err as Error).message}); the next start tries again.`);
    }
  }
  await deps.index.write((w) => {
    const row = w.picker.session(sessionId);
    if (row) w.picker.upsertSession({ ...row, state, lastError, remoteDeleted: row.remoteDeleted || deleted });
  });
  await deps.index.flush();
}
