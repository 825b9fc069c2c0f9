// The sidebar's "Imported": recent imports from Google Photos (Picker sessions) with their folder and
// counts; under each, what was picked, with its state (a click opens a downloaded file).
import path from 'node:path';
import type * as vscode from 'vscode';
import type { DownloadState, IndexReader, PickerSessionRecord } from '../index/api';
import { shortAccountName, type SignedInAccount } from '../sync/folderAccount';
import { allPicked } from '../sync/picker/record';
import type { TreeNode } from './tree';
import { formatCount } from '../util/format';

export type ImportedVs = Pick<typeof vscode, 'TreeItem' | 'TreeItemCollapsibleState' | 'ThemeIcon' | 'MarkdownString' | 'Uri' | 'l10n'> & {
  /** VS Code's display language sets the date format; without it, the machine's. */
  env?: Partial<Pick<typeof vscode.env, 'language'>>;
};

export interface ImportedDeps {
  vs: ImportedVs;
  index: () => IndexReader | undefined;
  accountId: () => string | undefined;
  /** Every signed-in account: each one's imports are listed (newest first), not only the default's. */
  accountIds?: () => readonly string[];
  /** An account's e-mail: with several signed in, each import row says whose library it came from. */
  accountLabel?: (accountId: string) => string | undefined;
}

/** Imports shown; older ones stay in the index. */
export const RECENT_IMPORTS = 20;

/** Sessions worth showing: something was picked. */
function shown(s: PickerSessionRecord): boolean {
  return s.mediaItemsSet && s.state !== 'creating';
}

/** "3 downloaded · 1 failed" from per-state counts. */
export function importCounts(counts: Partial<Record<DownloadState, number>>, l10n: Pick<typeof vscode.l10n, 't'>): string {
  const parts: string[] = [];
  const n = formatCount;
  if (counts.downloaded) parts.push(l10n.t('{0} downloaded', n(counts.downloaded)));
  const toDownload = (counts.pending ?? 0) + (counts.downloading ?? 0);
  if (toDownload) parts.push(l10n.t('{0} to download', n(toDownload)));
  if (counts.skipped) parts.push(l10n.t('{0} not ready', n(counts.skipped)));
  if (counts.failed) parts.push(l10n.t('{0} failed', n(counts.failed)));
  return parts.join(' · ') || l10n.t('nothing picked');
}

export function importedRoots(deps: ImportedDeps): () => Promise<TreeNode[]> {
  return async () => {
    const index = deps.index();
    const accountId = deps.accountId();
    if (!index || !accountId) return [];
    const accounts = deps.accountIds?.() ?? [accountId];
    const sessions = accounts
      .flatMap((a) => index.picker.recent(a, RECENT_IMPORTS * 2).filter(shown))
      .sort((x, y) => (y.createdAt ?? 0) - (x.createdAt ?? 0))
      .slice(0, RECENT_IMPORTS);
    if (sessions.length === 0) return [];
    // Several accounts: each row names its account (short on the row, in full in the tooltip).
    const signedIn: SignedInAccount[] = accounts.map((id) => ({ id, label: deps.accountLabel?.(id) ?? '' }));
    const whose = (s: PickerSessionRecord): Whose | undefined => {
      if (accounts.length < 2) return undefined;
      const full = deps.accountLabel?.(s.accountId) || s.accountId;
      return { full, short: shortAccountName(full, signedIn) };
    };
    return [importedNode(deps.vs, index, sessions, whose)];
  };
}

type Whose = { full: string; short: string };

function importedNode(vs: ImportedVs, index: IndexReader, sessions: PickerSessionRecord[], whose: (s: PickerSessionRecord) => Whose | undefined): TreeNode {
  return {
    id: 'photoSync.imported',
    toTreeItem() {
      const item = new vs.TreeItem(vs.l10n.t('Imported'), vs.TreeItemCollapsibleState.Expanded);
      item.id = 'photoSync.imported';
      item.description = `${sessions.length}`;
      item.iconPath = new vs.ThemeIcon('cloud-download');
      item.contextValue = 'photoSync.importedRoot';
      item.tooltip = vs.l10n.t('Photos and videos picked in Google Photos and downloaded into your folders (recent imports).');
      return item;
    },
    async children() {
      return sessions.map((s) => sessionNode(vs, index, s, whose(s)));
    },
  };
}

/** An import's date and time as VS Code's language writes them ("30 Nov 2026, 14:05" in en-GB, "30. Nov. 2026, 14:05" in de). */
export function importDate(when: Date, language: string | undefined): string {
  const options: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' };
  try {
    return new Intl.DateTimeFormat(language, options).format(when);
  } catch {
    return new Intl.DateTimeFormat(undefined, options).format(when); // a language tag Intl does not take
  }
}

function sessionNode(vs: ImportedVs, index: IndexReader, session: PickerSessionRecord, whose?: Whose): TreeNode {
  const id = `photoSync.import:${session.id}`;
  return {
    id,
    toTreeItem() {
      const counts = index.picker.countItems(session.id);
      const when = session.createdAt ? new Date(session.createdAt) : undefined;
      const label = when ? importDate(when, vs.env?.language) : vs.l10n.t('Import');
      const item = new vs.TreeItem(label, vs.TreeItemCollapsibleState.Collapsed);
      item.id = id;
      const folder = session.targetFolder ? path.basename(session.targetFolder) || session.targetFolder : '';
      const listing = Object.keys(counts).length === 0 && (session.state === 'picked' || session.state === 'downloading');
      item.description = `${listing ? vs.l10n.t('listing what was picked…') : importCounts(counts, vs.l10n)}${folder ? ` · ${folder}` : ''}${whose ? ` · ${whose.short}` : ''}`;
      item.iconPath = new vs.ThemeIcon(counts.failed ? 'warning' : (counts.pending ?? 0) + (counts.downloading ?? 0) > 0 ? 'sync' : 'pass');
      item.contextValue = 'photoSync.import';
      if (session.targetFolder) item.resourceUri = vs.Uri.file(session.targetFolder);
      const where = session.targetFolder ?? vs.l10n.t('(unknown folder)');
      const tip = new vs.MarkdownString(
        whose
          ? vs.l10n.t('Imported from the Google Photos of {0} into {1}\n\n{2}', whose.full, where, importCounts(counts, vs.l10n))
          : vs.l10n.t('Imported from Google Photos into {0}\n\n{1}', where, importCounts(counts, vs.l10n)),
      );
      if (session.lastError) tip.appendText(`\n\n${session.lastError}`);
      item.tooltip = tip;
      return item;
    },
    async children() {
      return allPicked(index.picker, session.id).map((p) => ({
        id: `${id}:${p.id}`,
        toTreeItem() {
          const name = p.localPath ? path.basename(p.localPath) : (p.filename ?? p.id);
          const item = new vs.TreeItem(name, vs.TreeItemCollapsibleState.None);
          item.id = `${id}:${p.id}`;
          const where = p.localPath && session.targetFolder ? path.relative(session.targetFolder, path.dirname(p.localPath)) : '';
          item.description = p.downloadState === 'downloaded' ? where : p.downloadState === 'skipped' ? vs.l10n.t('not ready yet') : p.downloadState === 'failed' ? (p.lastError ?? vs.l10n.t('failed')) : vs.l10n.t('to download');
          item.iconPath = new vs.ThemeIcon(p.downloadState === 'downloaded' ? 'file-media' : p.downloadState === 'failed' ? 'error' : p.downloadState === 'skipped' ? 'watch' : 'cloud-download');
          item.tooltip = `${p.filename ?? p.id}${p.lastError ? `\n${p.lastError}` : ''}`;
          item.contextValue = 'photoSync.importedItem';
          if (p.localPath && p.downloadState === 'downloaded') {
            item.resourceUri = vs.Uri.file(p.localPath);
            item.command = { command: 'vscode.open', title: vs.l10n.t('Open'), arguments: [vs.Uri.file(p.localPath)] };
          }
          return item;
        },
      }));
    },
  };
}
