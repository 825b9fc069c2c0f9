// A user action's progress in words, e.g. "Uploading 134 of 2,000 · 412 MB of 5.1 GB · 3 min left":
// the VS Code notification and status bar (ui/) and the command line show the same line.
import type { GroupProgress } from './api';
import type * as vscode from 'vscode';
import { englishL10n } from '../util/englishL10n';
import { formatBytes, formatCount, formatDuration, formatTimeOfDay } from '../util/format';
import { quotaWords } from './quotaWords';

/**
 * The progress line of a user action, e.g. "Uploading 134 of 2,000 · 412 MB of 5.1 GB · 3 min left".
 * When the queue is paused for a spent quota it says so instead of an ETA.
 */
export function formatGroupProgress(p: GroupProgress, paused?: { until: number; label: string }, timeZone?: string, l10n: Pick<typeof vscode.l10n, 't'> = englishL10n): string {
  const pausedText = paused ? l10n.t('paused until {0} ({1})', formatTimeOfDay(paused.until, timeZone), quotaWords(paused.label, l10n)) : '';
  // Before its first task is added a group has nothing to count: "Uploading…", not "Uploading 0 of 0".
  if (p.total === 0) return paused ? l10n.t('{0}… · {1}', p.verb, pausedText) : l10n.t('{0}…', p.verb);
  const parts = [l10n.t('{0} {1} of {2}', p.verb, formatCount(p.done + p.failed + p.cancelled), formatCount(p.total))];
  if (p.bytesTotal > 0) parts.push(l10n.t('{0} of {1}', formatBytes(p.bytesDone), formatBytes(p.bytesTotal)));
  if (p.failed > 0) parts.push(l10n.t('{0} failed', formatCount(p.failed)));
  if (paused) parts.push(pausedText);
  else if (p.etaMs !== undefined && !p.finished) parts.push(l10n.t('{0} left', formatDuration(p.etaMs)));
  return parts.join(' · ');
}

/** Share of the work done, 0–100, by bytes when the tasks have sizes, else by count. */
export function percentDone(p: GroupProgress): number {
  if (p.bytesTotal > 0) return Math.min(100, (100 * p.bytesDone) / p.bytesTotal);
  if (p.total > 0) return Math.min(100, (100 * (p.done + p.failed + p.cancelled)) / p.total);
  return 0;
}
