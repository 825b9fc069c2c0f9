// Explorer badges for files and folders inside sync folders: backed up, waiting, failed (the reason
// in the tooltip), excluded (the reason in the tooltip). Read from SyncStatusCache, so a folder of
// 10,000 files costs one index read per sync folder and index change, not one per file.
import type * as vscode from 'vscode';
import { formatCount } from '../util/format';
import type { SyncStatusCache } from './syncStatusCache';
import { translateReason } from '../sync/reasonText';

export type DecorationVs = Pick<typeof vscode, 'FileDecoration' | 'ThemeColor' | 'EventEmitter' | 'l10n'>;

export interface FileBadge {
  badge: string;
  tooltip: string;
  /** A theme colour id, or none. */
  color?: string;
  /** Folders: whether VS Code should also tint the parents. */
  propagate?: boolean;
}

/** The badge of a path, or undefined outside sync folders and for files the index does not know. */
export function badgeFor(cache: SyncStatusCache, fsPath: string, destination: (id: string) => string, l10n: Pick<typeof vscode.l10n, 't'>): FileBadge | undefined {
  const folder = cache.folderOf(fsPath);
  if (!folder) return undefined;
  const where = destination(folder.destination);
  const file = cache.file(fsPath);
  if (file) {
    switch (file.status) {
      case 'uploaded':
        return { badge: '✓', tooltip: l10n.t('Backed up to {0}', where) };
      case 'seen':
      case 'hashed':
      case 'pending':
        return { badge: '↑', tooltip: l10n.t('Not backed up yet: the next Sync Now uploads it to {0}', where) };
      case 'failed':
        return { badge: '!', tooltip: l10n.t('Upload to {0} failed: {1}', where, file.lastError ? translateReason(file.lastError, l10n) : l10n.t('see the Photo Sync log')), color: 'list.errorForeground' };
      case 'skipped':
        return { badge: '−', tooltip: l10n.t('Not uploaded: {0}', file.lastError ? translateReason(file.lastError, l10n) : l10n.t('excluded by the folder’s rules')), color: 'disabledForeground' };
      default:
        return undefined;
    }
  }
  const dir = cache.dir(fsPath);
  if (!dir) return undefined;
  const c = dir.counts;
  if (c.failed) return { badge: '!', tooltip: c.failed === 1 ? l10n.t('1 file failed to upload to {0}', where) : l10n.t('{0} files failed to upload to {1}', formatCount(c.failed), where), color: 'list.errorForeground', propagate: true };
  if (c.pending) return { badge: '↑', tooltip: c.pending === 1 ? l10n.t('1 file not backed up yet') : l10n.t('{0} files not backed up yet', formatCount(c.pending)) };
  if (c.uploaded) return { badge: '✓', tooltip: c.uploaded === 1 ? l10n.t('1 file backed up to {0}', where) : l10n.t('{0} files backed up to {1}', formatCount(c.uploaded), where) };
  return undefined;
}

export class SyncFileDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed: vscode.EventEmitter<undefined>;
  readonly onDidChangeFileDecorations: vscode.Event<undefined>;

  constructor(
    private readonly vs: DecorationVs,
    private readonly cache: SyncStatusCache,
    private readonly destination: (id: string) => string,
  ) {
    this.changed = new vs.EventEmitter<undefined>();
    this.onDidChangeFileDecorations = this.changed.event;
  }

  /** Every badge may have changed (the index changed; the cache is invalidated by its owner). */
  refresh(): void {
    this.changed.fire(undefined);
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== 'file') return undefined;
    const b = badgeFor(this.cache, uri.fsPath, this.destination, this.vs.l10n);
    if (!b) return undefined;
    const d = new this.vs.FileDecoration(b.badge, b.tooltip, b.color ? new this.vs.ThemeColor(b.color) : undefined);
    if (b.propagate) d.propagate = true;
    return d;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
