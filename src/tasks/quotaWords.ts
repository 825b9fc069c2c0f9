// A quota's words (QuotaPolicy.label and .resetText: "daily quota", "midnight Pacific time") are
// English where the destinations define them — the log and the command line print them — and are
// translated where VS Code shows them (status bar, Activity, Accounts, Verify), with quotaWords().
import type * as vscode from 'vscode';
import { englishL10n } from '../util/englishL10n';
import { formatCount } from '../util/format';

export const QUOTA_LABEL_DAILY = 'daily quota';
export const QUOTA_LABEL_HOURLY = 'hourly limit';
/** {0}: requests a minute, written in English (12,000). */
export const QUOTA_LABEL_PER_MINUTE = 'rate limit ({0} requests a minute)';
export const QUOTA_RESET_PACIFIC_MIDNIGHT = 'midnight Pacific time';
export const QUOTA_RESET_TOP_OF_HOUR = 'the top of the hour';

/** A per-minute rate limit's label as stored: English. */
export function perMinuteLabel(requests: number): string {
  // Grouped by hand: Drive's rules call this as the bundle loads, and the first toLocaleString
  // starts ICU's number formatting (≈25 ms of activation).
  return englishL10n.t(QUOTA_LABEL_PER_MINUTE, String(Math.round(requests)).replace(/\B(?=(\d{3})+$)/g, ','));
}

const PER_MINUTE = /^rate limit \(([\d,]+) requests a minute\)$/;

/** A quota's label or reset text in the user's language; words no message knows are shown as they are. */
export function quotaWords(text: string, l10n: Pick<typeof vscode.l10n, 't'>): string {
  switch (text) {
    case QUOTA_LABEL_DAILY:
      return l10n.t(QUOTA_LABEL_DAILY);
    case QUOTA_LABEL_HOURLY:
      return l10n.t(QUOTA_LABEL_HOURLY);
    case QUOTA_RESET_PACIFIC_MIDNIGHT:
      return l10n.t(QUOTA_RESET_PACIFIC_MIDNIGHT);
    case QUOTA_RESET_TOP_OF_HOUR:
      return l10n.t(QUOTA_RESET_TOP_OF_HOUR);
  }
  const perMinute = PER_MINUTE.exec(text);
  if (perMinute) return l10n.t(QUOTA_LABEL_PER_MINUTE, formatCount(Number(perMinute[1].replace(/,/g, ''))));
  return text;
}
