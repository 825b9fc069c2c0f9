// Sends one file's bytes and journals the receipt. The file is checked against what was planned
// (size, mtime; hashed again when it changed), never sent while it changes, and its receipt reaches
// the commit task as this task's result — with the index row as the journal a restart resumes from.
import { promises as fs } from 'node:fs';
import type { TaskContext } from '../../tasks/api';
import { hashFile } from '../hash';
import { renderDescription, uploadFileName } from '../names';
import type { PlannedUpload } from '../plan';
import { uploadId } from '../plan';
import { RECEIPT_MARGIN_MS } from '../plan';
import type { LocalUpload, Receipt } from '../provider';
import { describeFsError } from '../scan';
import { englishReason } from '../reasonText';
import { UPLOAD_FILE_GONE, UPLOAD_KEEPS_CHANGING, UPLOAD_KEEPS_CHANGING_WHILE_SENT, UPLOAD_NOW_EMPTY, UPLOAD_NOW_TOO_LARGE, UPLOAD_REFUSED } from '../failureText';
import type { UploadContext } from './context';
import { ReceiptSaver } from './receiptSaver';

/** The file's bytes as sent: what the commit needs, and whether the receipt is from this process. */
export interface SentBytes {
  /** The uploads row (another id than planned when the file changed since the plan). */
  uploadId: string;
  receipt: Receipt;
  sha256: string;
  size: number;
  mtimeMs: number;
  /** Obtained in this process: if the service refuses it, the bytes are the problem, not the receipt's age. */
  fresh: boolean;
}

export type UploadResult = ({ kind: 'receipt' } & SentBytes) | { kind: 'committed'; uploadId: string; mediaItemId: string };

class FileGoneError extends Error {
  override readonly name = 'FileGoneError';
}

interface Expected {
  id: string;
  size: number;
  mtimeMs: number;
  sha256: string;
}

export class Uploader {
  /** Saves the index every few receipts (receiptSaver.ts): a killed run loses few, not a second's worth. */
  readonly receipts: ReceiptSaver;

  constructor(private readonly ctx: UploadContext) {
    this.receipts = new ReceiptSaver(ctx.index, ctx.log);
  }

  /** The upload task's run; `containerId` where the service's uploads name their container. */
  async upload(u: PlannedUpload, task: Pick<TaskContext, 'signal' | 'reportBytes'>, containerId?: string): Promise<UploadResult> {
    const { index } = this.ctx;
    const stored = index.uploads.get(u.id);
    const row = stored?.sha256 === u.sha256 ? stored : undefined;
    if (row?.state === 'committed' && row.mediaItemId) return { kind: 'committed', uploadId: u.id, mediaItemId: row.mediaItemId };
    if (row?.state === 'uploaded') {
      const receipt = index.uploads.reusableReceipt(u.id, this.ctx.now(), RECEIPT_MARGIN_MS);
      if (receipt) return { kind: 'receipt', uploadId: u.id, receipt, sha256: u.sha256, size: row.size ?? u.file.size, mtimeMs: u.file.mtimeMs, fresh: false };
    }
    let expected: Expected = { id: u.id, size: row?.size ?? u.file.size, mtimeMs: u.file.mtimeMs, sha256: u.sha256 };
    for (let attempt = 1; ; attempt++) {
      task.signal.throwIfAborted();
      let stat;
      try {
        stat = await fs.stat(u.file.path);
      } catch (err) {
        return this.fileGone(u, expected.id, err);
      }
      // Grown past the service's limit since the scan: refuse before hashing or spending a request.
      const type = this.ctx.provider.rules.accepts(u.file.name);
      if (type && stat.size > type.limitBytes) return this.tooLarge(u, expected.id, this.ctx.provider.rules.tooLargeReason(type));
      if (stat.size !== expected.size || stat.mtimeMs !== expected.mtimeMs) {
        // Changed since the scan: the bytes we would send are not the ones hashed. Hash again.
        expected = await this.rehash(u, expected.id, task.signal);
      }
      let receipt: Receipt;
      try {
        receipt = await this.ctx.provider.uploadBytes(this.localUpload(u, expected), (done) => task.reportBytes(done, expected.size), task.signal, containerId ? { containerId } : undefined);
      } catch (err) {
        if ((err as Error).name === 'FileChangedError') {
          if (attempt >= 3) throw new Error(englishReason(UPLOAD_KEEPS_CHANGING_WHILE_SENT, u.file.name), { cause: err });
          this.ctx.log.info(`${u.file.path} changed during upload; hashing and sending it again.`);
          expected = await this.rehash(u, expected.id, task.signal);
          continue;
        }
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return this.fileGone(u, expected.id, err);
        if (this.ctx.provider.rules.classify(err, this.ctx.now()).kind === 'rejected') return this.refused(u, expected.id, err);
        throw err;
      }
      await index.write((w) =>
        w.uploads.update(expected.id, { state: 'uploaded', receipt: receipt.token, receiptExpiresAt: receipt.expiresAt, sha256: expected.sha256, size: expected.size, resumeState: undefined }),
      );
      this.receipts.noted();
      return { kind: 'receipt', uploadId: expected.id, receipt, sha256: expected.sha256, size: expected.size, mtimeMs: expected.mtimeMs, fresh: true };
    }
  }

  /** What the provider is given for a file: its name and description as the service should show them. */
  localUpload(u: PlannedUpload, bytes: { size: number; mtimeMs: number; sha256: string }): LocalUpload {
    return {
      path: u.file.path,
      sha256: bytes.sha256,
      fileName: uploadFileName(u.file.name),
      mimeType: u.file.mimeType ?? 'application/octet-stream',
      size: bytes.size,
      mtimeMs: bytes.mtimeMs,
      description: renderDescription(this.ctx.description, u.file),
    };
  }

  /**
   * Hashes the file again until two stats around the read agree. Other bytes than planned get their
   * own journal row (the old one is closed), so a key always names the content it holds.
   */
  private async rehash(u: PlannedUpload, currentId: string, signal: AbortSignal): Promise<Expected> {
    for (let i = 0; i < 3; i++) {
      let before;
      try {
        before = await fs.stat(u.file.path);
      } catch (err) {
        throw new FileGoneError(`${u.file.name} ${describeFsError(err)}.`);
      }
      const { sha256, bytes } = await hashFile(u.file.path, signal, before.size);
      const after = await fs.stat(u.file.path);
      if (bytes !== after.size || after.size !== before.size || after.mtimeMs !== before.mtimeMs) continue;
      if (after.size === 0) throw new Error(englishReason(UPLOAD_NOW_EMPTY, u.file.name));
      const id = uploadId(this.ctx.provider.id, this.ctx.accountId, sha256);
      await this.ctx.index.write((w) => {
        const old = w.uploads.get(currentId);
        if (id !== currentId) {
          w.uploads.update(currentId, { state: 'failed', lastError: 'the file changed before its upload was finished', receipt: undefined, resumeState: undefined });
          w.uploads.upsert({ id, provider: this.ctx.provider.id, accountId: this.ctx.accountId, localPath: u.file.path, sha256, size: after.size, albumId: old?.albumId, albumTitle: old?.albumTitle ?? u.albumTitle, state: 'pending' });
        }
        const local = w.localFiles.byPath(u.file.path);
        w.localFiles.upsert({ path: u.file.path, size: after.size, mtimeMs: after.mtimeMs, sha256, captureTime: local?.captureTime, status: 'pending' });
      });
      return { id, size: after.size, mtimeMs: after.mtimeMs, sha256 };
    }
    throw new Error(englishReason(UPLOAD_KEEPS_CHANGING, u.file.name));
  }

  private async fileGone(u: PlannedUpload, id: string, err: unknown): Promise<never> {
    const message = `${describeFsError(err)}; nothing was uploaded`;
    await this.ctx.index.write((w) => {
      w.uploads.update(id, { state: 'failed', lastError: message });
      w.localFiles.setStatus(u.file.path, 'missing', message);
    });
    throw new FileGoneError(englishReason(UPLOAD_FILE_GONE, u.file.name, describeFsError(err)));
  }

  /** The service will not take these bytes: recorded so they are tried again only once the file changes. */
  private async refused(u: PlannedUpload, id: string, err: unknown): Promise<never> {
    const message = englishReason(UPLOAD_REFUSED, this.ctx.provider.displayName, u.file.name, (err as Error).message);
    await this.ctx.index.write((w) => {
      w.uploads.update(id, { state: 'rejected', lastError: message, resumeState: undefined });
      w.localFiles.setStatus(u.file.path, 'failed', message);
    });
    throw new Error(message, { cause: err });
  }

  private async tooLarge(u: PlannedUpload, id: string, reason: string): Promise<never> {
    const message = `is now ${reason}; nothing was uploaded`;
    await this.ctx.index.write((w) => {
      w.uploads.update(id, { state: 'failed', lastError: message, resumeState: undefined });
      w.localFiles.setStatus(u.file.path, 'failed', message);
    });
    throw new Error(englishReason(UPLOAD_NOW_TOO_LARGE, u.file.name, reason));
  }
}
