// Reads a zip whose central directory is missing or damaged (an interrupted download of a 50 GB
// part) by walking its local file headers from the start. Where a header does not give the sizes
// (data-descriptor entries), the end of a deflated entry is found by inflating it and counting the
// input the inflater consumed; a stored one by finding its data descriptor. Everything up to the
// first entry that runs past the end of the file is recovered.
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { once } from 'node:events';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { entryKindOf, safeEntryName } from './entryNames';
import { checkArchiveTotal, checkDeclaredEntry, EntryCheck } from './guards';
import { deliverEntry, type ReaderContext } from './readerContext';
import type { ArchiveEntry } from './types';
import { takeoutProblem, TAKEOUT_COMPRESSION, TAKEOUT_ENCRYPTED, TAKEOUT_REFUSED, TAKEOUT_REST_NOT_READ, TAKEOUT_UNREADABLE_BYTES_END, TAKEOUT_UNREADABLE_BYTES_RESUMED, TAKEOUT_ZIP_CUT } from './problemText';

const LOCAL_HEADER = 0x04034b50;
const DATA_DESCRIPTOR = 0x08074b50;
const CENTRAL_HEADER = 0x02014b50;

interface LocalEntry {
  rawName: string;
  flags: number;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  dataStart: number;
}

export async function* recoverZipEntries(file: string, fileSize: number, ctx: ReaderContext, alreadyListed: ReadonlySet<number>): AsyncGenerator<ArchiveEntry> {
  const handle = await open(file, 'r');
  let total = 0;
  try {
    let offset = 0;
    while (offset + 30 <= fileSize) {
      ctx.signal?.throwIfAborted();
      const header = await readAt(handle, offset, 30);
      const signature = header.readUInt32LE(0);
      if (signature === CENTRAL_HEADER) return; // the entries are over
      if (signature !== LOCAL_HEADER) {
        const next = await findSignature(handle, offset + 1, fileSize, LOCAL_HEADER);
        ctx.report({ reason: 'corrupt', message: next < 0 ? takeoutProblem(TAKEOUT_UNREADABLE_BYTES_END, offset) : takeoutProblem(TAKEOUT_UNREADABLE_BYTES_RESUMED, offset, next) });
        if (next < 0) return;
        offset = next;
        continue;
      }
      const local = await readLocalHeader(handle, header, offset);
      const safe = safeEntryName(local.rawName);
      const entryName = safe.ok ? safe.name : local.rawName;
      const end = await findDataEnd(file, handle, local, fileSize);
      if (end === undefined) {
        ctx.report({ entryName, rawName: local.rawName, reason: 'truncated', message: TAKEOUT_ZIP_CUT });
        return;
      }
      const next = end.descriptorEnd;
      const listed = alreadyListed.has(offset);
      offset = next;
      if (listed || local.rawName.endsWith('/')) continue;
      if (!safe.ok) {
        ctx.report({ rawName: local.rawName, reason: 'unsafe-path', message: takeoutProblem(TAKEOUT_REFUSED, safe.message) });
        continue;
      }
      if (local.flags & 1) {
        ctx.report({ entryName, rawName: local.rawName, reason: 'encrypted', message: TAKEOUT_ENCRYPTED });
        continue;
      }
      if (local.method !== 0 && local.method !== 8) {
        ctx.report({ entryName, rawName: local.rawName, reason: 'corrupt', message: takeoutProblem(TAKEOUT_COMPRESSION, local.method) });
        continue;
      }
      const verdict = checkDeclaredEntry(end.size, end.compressedSize, ctx.limits);
      if (verdict) {
        ctx.report({ entryName, rawName: local.rawName, ...verdict });
        continue;
      }
      total += end.size;
      const totalVerdict = checkArchiveTotal(total, fileSize, ctx.limits);
      if (totalVerdict) {
        ctx.report({ entryName, rawName: local.rawName, reason: totalVerdict.reason, message: takeoutProblem(TAKEOUT_REST_NOT_READ, totalVerdict.message) });
        return;
      }
      const kind = entryKindOf(entryName);
      if (!ctx.wants(kind)) continue;
      yield {
        archive: file,
        entryName,
        rawName: local.rawName,
        kind,
        size: end.size,
        compressedSize: end.compressedSize,
        open: (): Readable =>
          deliverEntry(
            ctx,
            entryName,
            async () => {
              const raw = createReadStream(file, { start: local.dataStart, end: local.dataStart + end.compressedSize - 1 });
              return local.method === 8 ? raw.pipe(zlib.createInflateRaw()) : raw;
            },
            [new EntryCheck({ size: end.size, crc32: end.crc32, archive: file, entryName })],
            () => 'corrupt',
          ),
      };
    }
  } finally {
    await handle.close();
  }
}

async function readLocalHeader(handle: FileHandle, header: Buffer, offset: number): Promise<LocalEntry> {
  const nameLength = header.readUInt16LE(26);
  const extraLength = header.readUInt16LE(28);
  const variable = await readAt(handle, offset + 30, nameLength + extraLength);
  const flags = header.readUInt16LE(6);
  let compressedSize = header.readUInt32LE(18);
  let size = header.readUInt32LE(22);
  let extraFields: { id: number; data: Buffer }[] = [];
  try {
    extraFields = yauzl.parseExtraFields(variable.subarray(nameLength));
  } catch {
    // a damaged extra field only loses the zip64 sizes; the data walk below still finds the end
  }
  const zip64 = extraFields.find((f) => f.id === 0x0001);
  if (zip64 && zip64.data.length >= 16) {
    size = Number(zip64.data.readBigUInt64LE(0));
    compressedSize = Number(zip64.data.readBigUInt64LE(8));
  }
  return {
    rawName: yauzl.getFileNameLowLevel(flags, variable.subarray(0, nameLength), extraFields, false),
    flags,
    method: header.readUInt16LE(8),
    crc32: header.readUInt32LE(14),
    compressedSize,
    size,
    dataStart: offset + 30 + nameLength + extraLength,
  };
}

interface DataEnd {
  compressedSize: number;
  size: number;
  crc32: number;
  descriptorEnd: number;
}

/** Where the entry's data (and its data descriptor, if any) ends; undefined when past the end of file. */
async function findDataEnd(file: string, handle: FileHandle, local: LocalEntry, fileSize: number): Promise<DataEnd | undefined> {
  const hasDescriptor = (local.flags & 0x08) !== 0;
  if (!hasDescriptor) {
    const end = local.dataStart + local.compressedSize;
    return end > fileSize ? undefined : { compressedSize: local.compressedSize, size: local.size, crc32: local.crc32, descriptorEnd: end };
  }
  let compressedSize: number | undefined;
  if (local.method === 8) compressedSize = await deflatedLength(file, local.dataStart);
  else compressedSize = await storedLengthByDescriptor(handle, local.dataStart, fileSize);
  if (compressedSize === undefined) return undefined;
  const dataEnd = local.dataStart + compressedSize;
  // Descriptor: [signature] crc32, sizes (4+4, or 8+8 for zip64).
  const tail = await readAt(handle, dataEnd, Math.min(24, fileSize - dataEnd));
  const skip = tail.length >= 4 && tail.readUInt32LE(0) === DATA_DESCRIPTOR ? 4 : 0;
  if (tail.length < skip + 12) return undefined;
  const crc32 = tail.readUInt32LE(skip);
  const small = tail.readUInt32LE(skip + 4) === compressedSize;
  const size = small ? tail.readUInt32LE(skip + 8) : tail.length >= skip + 20 ? Number(tail.readBigUInt64LE(skip + 12)) : -1;
  if (size < 0) return undefined;
  return { compressedSize, size, crc32, descriptorEnd: dataEnd + skip + (small ? 12 : 20) };
}

/** Inflates from `start` until the deflate stream ends and returns how much input it consumed. */
async function deflatedLength(file: string, start: number): Promise<number | undefined> {
  const inflate = zlib.createInflateRaw();
  inflate.on('error', () => undefined); // reported through once() below; late ones are moot
  inflate.resume(); // the output is thrown away: only the boundary is wanted
  const source = createReadStream(file, { start, highWaterMark: 256 * 1024 });
  source.pipe(inflate);
  try {
    await once(inflate, 'end');
    return inflate.bytesWritten;
  } catch {
    return undefined; // ran into the end of the file (or garbage) before the deflate stream ended
  } finally {
    source.unpipe(inflate);
    source.destroy();
  }
}

/** A stored entry with a descriptor: the first descriptor signature whose size field fits the distance. */
async function storedLengthByDescriptor(handle: FileHandle, start: number, fileSize: number): Promise<number | undefined> {
  let at = start;
  for (;;) {
    const found = await findSignature(handle, at, fileSize, DATA_DESCRIPTOR);
    if (found < 0 || found + 12 > fileSize) return undefined;
    const fields = await readAt(handle, found + 4, 16);
    const length = found - start;
    if (fields.readUInt32LE(4) === length || (fields.length >= 12 && Number(fields.readBigUInt64LE(4)) === length)) return length;
    at = found + 1;
  }
}

async function findSignature(handle: FileHandle, from: number, fileSize: number, signature: number): Promise<number> {
  const chunk = 1024 * 1024;
  const needle = Buffer.alloc(4);
  needle.writeUInt32LE(signature);
  for (let at = from; at < fileSize; at += chunk - 3) {
    const buffer = await readAt(handle, at, Math.min(chunk, fileSize - at));
    const hit = buffer.indexOf(needle);
    if (hit >= 0) return at + hit;
    if (buffer.length < chunk) return -1;
  }
  return -1;
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(Math.max(0, length));
  const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
  return buffer.subarray(0, bytesRead);
}
