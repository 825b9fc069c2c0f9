// Reads a .zip part through its central directory with yauzl: random access from the file, one entry
// at a time, nothing kept in memory but the current directory record. Names are decoded here (not by
// yauzl) so one hostile name is refused alone instead of aborting the whole archive. A part without
// a readable directory (an interrupted download) is handed to the local-header recovery.
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { entryKindOf, safeEntryName } from './entryNames';
import { checkArchiveTotal, checkDeclaredEntry, EntryCheck } from './guards';
import { deliverEntry, type ReaderContext } from './readerContext';
import type { ArchiveEntry } from './types';
import { WindowedFileReader } from './zipFileReader';
import { recoverZipEntries } from './zipRecovery';
import { takeoutProblem, TAKEOUT_COMPRESSION, TAKEOUT_ENCRYPTED, TAKEOUT_REFUSED, TAKEOUT_REST_NOT_READ, TAKEOUT_ZIP_DIRECTORY_DAMAGED, TAKEOUT_ZIP_NO_DIRECTORY } from './problemText';

export async function* readZip(file: string, ctx: ReaderContext): AsyncGenerator<ArchiveEntry> {
  const { reader, size: fileSize } = await WindowedFileReader.open(file);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromRandomAccessReaderPromise(reader, fileSize, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false });
  } catch (error) {
    reader.close(() => undefined);
    ctx.report({
      reason: 'truncated',
      message: takeoutProblem(TAKEOUT_ZIP_NO_DIRECTORY, (error as Error).message),
    });
    yield* recoverZipEntries(file, fileSize, ctx, new Set());
    return;
  }
  const listedOffsets = new Set<number>();
  let total = 0;
  try {
    for (;;) {
      ctx.signal?.throwIfAborted();
      let record: yauzl.Entry | undefined;
      try {
        record = await nextRecord(zip);
      } catch (error) {
        ctx.report({
          reason: 'corrupt',
          message: takeoutProblem(TAKEOUT_ZIP_DIRECTORY_DAMAGED, listedOffsets.size, (error as Error).message),
        });
        yield* recoverZipEntries(file, fileSize, ctx, listedOffsets);
        return;
      }
      if (!record) return;
      listedOffsets.add(record.relativeOffsetOfLocalHeader);
      const rawName = yauzl.getFileNameLowLevel(record.generalPurposeBitFlag, record.fileNameRaw, record.extraFields, false);
      if (rawName.endsWith('/')) continue; // directory
      const safe = safeEntryName(rawName);
      if (!safe.ok) {
        ctx.report({ rawName, reason: 'unsafe-path', message: takeoutProblem(TAKEOUT_REFUSED, safe.message) });
        continue;
      }
      const entryName = safe.name;
      if (record.isEncrypted()) {
        ctx.report({ entryName, rawName, reason: 'encrypted', message: TAKEOUT_ENCRYPTED });
        continue;
      }
      if (record.compressionMethod !== 0 && record.compressionMethod !== 8) {
        ctx.report({ entryName, rawName, reason: 'corrupt', message: takeoutProblem(TAKEOUT_COMPRESSION, record.compressionMethod) });
        continue;
      }
      const verdict = checkDeclaredEntry(record.uncompressedSize, record.compressedSize, ctx.limits);
      if (verdict) {
        ctx.report({ entryName, rawName, ...verdict });
        continue;
      }
      total += record.uncompressedSize;
      const totalVerdict = checkArchiveTotal(total, fileSize, ctx.limits);
      if (totalVerdict) {
        ctx.report({ entryName, rawName, reason: totalVerdict.reason, message: takeoutProblem(TAKEOUT_REST_NOT_READ, totalVerdict.message) });
        return;
      }
      const kind = entryKindOf(entryName);
      if (!ctx.wants(kind)) continue;
      yield zipEntry(zip, record, { file, fileSize, entryName, rawName, kind }, ctx);
    }
  } finally {
    zip.close(); // open read streams keep the file open until they end
  }
}

function zipEntry(
  zip: yauzl.ZipFile,
  record: yauzl.Entry,
  at: { file: string; fileSize: number; entryName: string; rawName: string; kind: ArchiveEntry['kind'] },
  ctx: ReaderContext,
): ArchiveEntry {
  // The data cannot fit if the file ends before where the directory says it does.
  const truncated = record.relativeOffsetOfLocalHeader + 30 + record.fileNameLength + record.compressedSize > at.fileSize;
  return {
    archive: at.file,
    entryName: at.entryName,
    rawName: at.rawName,
    kind: at.kind,
    size: record.uncompressedSize,
    compressedSize: record.compressedSize,
    modified: record.getLastModDate(),
    open: (): Readable =>
      deliverEntry(
        ctx,
        at.entryName,
        () => zip.openReadStreamPromise(record),
        [new EntryCheck({ size: record.uncompressedSize, crc32: record.crc32, archive: at.file, entryName: at.entryName, truncatedHint: truncated })],
        () => (truncated ? 'truncated' : 'corrupt'),
      ),
  };
}

function nextRecord(zip: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: yauzl.Entry) => (cleanup(), resolve(entry));
    const onEnd = () => (cleanup(), resolve(undefined));
    const onError = (error: Error) => (cleanup(), reject(error));
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}
