// After a sync whose archive moves left sub-folders of the sync folder empty: one question per sync
// folder, "Remove 3 empty folders from Inbox?" with Remove / Keep. Removal re-checks each folder
// right before rmdir (sync/emptyFolders.ts); what was removed and what was kept goes to the log.
import type * as vscode from 'vscode';
import path from 'node:path';
import { findEmptiedFolders, removeEmptyFolders, type ArchivedFrom, type RemovalResult } from '../sync/emptyFolders';
import type { Logger } from '../util/logger';
import { formatCount } from '../util/format';

export const REMOVE_EMPTY = 'Remove';
export const KEEP_EMPTY = 'Keep';

/** Asks once per sync folder; resolves when every question is answered (or dismissed). */
export async function offerEmptyFolderRemoval(deps: { vs: Pick<typeof vscode, 'window' | 'l10n'>; log: Logger }, archivedFrom: readonly ArchivedFrom[]): Promise<RemovalResult[]> {
  const results: RemovalResult[] = [];
  for (const { root, dirs } of archivedFrom) {
    const empty = await findEmptiedFolders(root, dirs).catch((err: unknown) => {
      deps.log.warn(`Could not look for empty folders in ${root}: ${String(err)}`);
      return [];
    });
    if (!empty.length) continue;
    const name = path.basename(root) || root;
    const listed = empty.map((d) => path.relative(root, d)).sort();
    deps.log.info(`Archive moves left ${formatCount(empty.length)} empty folder(s) in ${root}: ${listed.join(', ')}`);
    const { l10n } = deps.vs;
    const remove = l10n.t(REMOVE_EMPTY);
    const pick = await deps.vs.window.showInformationMessage(
      empty.length === 1 ? l10n.t('Remove 1 empty folder from {0}?', name) : l10n.t('Remove {0} empty folders from {1}?', formatCount(empty.length), name),
      { detail: l10n.t('Their files were moved to the archive: {0}. A folder that holds anything by then is kept.', `${listed.slice(0, 5).join(', ')}${listed.length > 5 ? ', …' : ''}`) },
      remove,
      l10n.t(KEEP_EMPTY),
    );
    if (pick !== remove) continue;
    const result = await removeEmptyFolders(empty);
    for (const d of result.removed) deps.log.info(`Removed the empty folder ${d}`);
    for (const k of result.kept) deps.log.warn(`Kept the folder ${k.path}: it ${k.reason}`);
    results.push(result);
  }
  return results;
}
