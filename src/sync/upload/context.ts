import type { PhotoIndex } from '../../index/api';
import type { Logger } from '../../util/logger';
import type { SyncL10n } from '../l10n';
import type { PhotoProvider } from '../provider';

/** What every step of the upload pipeline shares for one destination account. */
export interface UploadContext {
  readonly provider: PhotoProvider;
  readonly index: PhotoIndex;
  readonly accountId: string;
  readonly log: Logger;
  /** Items per commit / add call (≤ the provider's maxBatch; the benchmark's baseline sets 1). */
  readonly batchSize: number;
  /** `photoSync.upload.description` template. */
  readonly description?: string;
  readonly now: () => number;
  /** Task titles in the user's language (default English). */
  readonly l10n?: SyncL10n;
}

/** Task ids: stable across restarts, so a journaled task is recognised. */
export const taskIds = {
  upload: (uploadId: string) => `upload:${uploadId}`,
  commit: (ctx: UploadContext, firstUploadId: string) => `commit:${ctx.provider.id}:${ctx.accountId}:${firstUploadId}`,
  album: (ctx: UploadContext, title: string) => `album:${ctx.provider.id}:${ctx.accountId}:${title}`,
  add: (ctx: UploadContext, title: string, firstSha: string) => `albumAdd:${ctx.provider.id}:${ctx.accountId}:${title}:${firstSha}`,
};

/** Sync-ops journal ids: one open operation of a kind per destination account and file. */
export function opId(ctx: UploadContext, kind: 'add' | 'copy' | 'archive', localPath: string): string {
  return `${kind}:${ctx.provider.id}:${ctx.accountId}:${localPath}`;
}

/** Writes to one account's albums and commits are serialised (Google answers concurrent writes with 429). */
export function serialKey(ctx: UploadContext, what: 'album' | 'commit'): string {
  return `${ctx.provider.id}:${ctx.accountId}:${what}`;
}

/** The quota a task of this destination account spends. */
export function quotaKey(ctx: UploadContext): string {
  return `${ctx.provider.rules.quota.bucket}:${ctx.accountId}`;
}
