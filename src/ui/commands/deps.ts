import type * as vscode from 'vscode';
import type { PhotoIndex } from '../../index/api';
import type { UploadPipeline } from '../../sync/upload/pipeline';
import type { ReviewSource } from '../../preview/reviewSession';
import type { GroupResult, TaskGroup } from '../../tasks/api';
import type { Logger } from '../../util/logger';
import type { SyncFolder } from '../../sync/config';

export type SyncVsCode = Pick<typeof vscode, 'window' | 'workspace' | 'commands' | 'Uri' | 'ProgressLocation' | 'ConfigurationTarget' | 'env' | 'l10n'>;

/** A signed-in destination account, ready to sync. */
export interface DestinationSession {
  pipeline: UploadPipeline;
  index: PhotoIndex;
  accountId: string;
  /** The account's name as its sign-in shows it (an email), where known. */
  accountLabel?: string;
  /** Requests spent in the destination's current quota period (all accounts of the project). */
  quotaUsed(): number;
}

export interface SyncCommandDeps {
  vs: SyncVsCode;
  log: Logger;
  /** Destinations a folder can be backed up to, in the order to offer them. */
  destinations: readonly { id: string; displayName: string }[];
  /**
   * The session of a destination (default Google Photos) for its signed-in account; may ask the user
   * to sign in; undefined if they did not.
   */
  session(destination?: string, account?: string): Promise<DestinationSession | undefined>;
  /**
   * The signed-in accounts of a destination's sign-in, first = the default; unset: one account only
   * (every folder syncs with the session above).
   */
  accounts?(destination: string): readonly { id: string; label?: string }[];
  /** Redraws the sidebar after the index changed. */
  refresh(): void;
  /** Shows a queue group's progress: one cancellable notification until its tasks settle. */
  showProgress(group: TaskGroup): Thenable<GroupResult>;
  /** Two-way sync's second half after the uploads (downloads, mirror deletes); `spent`: operations the uploads took. */
  remoteSide?(destination: string, folders: readonly SyncFolder[], spent: number, account?: string): Promise<void>;
  /** Opens the pre-upload review webview (set once the preview is wired); unset: the notification preview. */
  review?: (source: ReviewSource) => void;
}

export const SYNC_COMMANDS = { addFolder: 'photoSync.addFolder', uploadFolder: 'photoSync.uploadFolder', syncNow: 'photoSync.syncNow', reviewBeforeSync: 'photoSync.reviewBeforeSync', chooseAccount: 'photoSync.chooseAccount' } as const;
