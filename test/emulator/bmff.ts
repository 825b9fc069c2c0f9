/**
 * A small ISO base media file format (MP4, MOV, 3GP, HEIF, AVIF) box walker: enough to tell a movie
 * from a file that only starts like one, and to read the size and date Google shows for it.
 */

export interface Box {
  type: string;
  /** Offset of the box header. */
  start: number;
  /** Offset of the box content (after size, type and any 64-bit size). */
  body: number;
  end: number;
}

/** The boxes laid end to end in buf[from, to), or undefined when one claims bytes that are not there. */
export function boxes(buf: Buffer, from = 0, to = buf.length): Box[] | undefined {
  const out: Box[] = [];
  let at = from;
  while (at < to) {
    if (at + 8 > to) return undefined;
    const size32 = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    let body = at + 8;
    let size = size32;
    if (size32 === 1) {
      if (at + 16 > to) return undefined;
      size = Number(buf.readBigUInt64BE(at + 8));
      body = at + 16;
    } else if (size32 === 0) {
      size = to - at; // "extends to the end of the file"
    }
    if (size < body - at || at + size > to) return undefined;
    out.push({ type, start: at, body, end: at + size });
    at += size;
  }
  return out;
}

export function child(buf: Buffer, parent: Box, type: string, skip = 0): Box | undefined {
  return boxes(buf, parent.body + skip, parent.end)?.find((b) => b.type === type);
}

/** Walks a path of container boxes, e.g. ["mdia", "hdlr"] below a trak. */
export function descend(buf: Buffer, from: Box, path: string[]): Box | undefined {
  let box: Box | undefined = from;
  for (const type of path) box = box && child(buf, box, type);
  return box;
}

/** Seconds between 1904-01-01 (the QuickTime epoch) and 1970-01-01. */
const MAC_EPOCH_OFFSET_S = 2_082_844_800;

export interface MovieFacts {
  width: number;
  height: number;
  /** From mvhd creation_time; undefined when the writer left it 0. */
  createdAt?: number;
}

/**
 * A playable movie: a moov box with a video track (trak → mdia → hdlr "vide", with a tkhd) and the
 * media data (mdat, or moof fragments) beside it. Anything less is refused: the reason says why.
 */
export function movieFacts(buf: Buffer, top: Box[]): MovieFacts | string {
  const moov = top.find((b) => b.type === 'moov');
  if (!moov) return 'no moov box (movie header)';
  if (!top.some((b) => b.type === 'mdat' || b.type === 'moof')) return 'no mdat box (media data)';
  const inMoov = boxes(buf, moov.body, moov.end);
  if (!inMoov) return 'the moov box is malformed';
  const video = inMoov.filter((b) => b.type === 'trak').find((trak) => {
    const hdlr = descend(buf, trak, ['mdia', 'hdlr']);
    return hdlr !== undefined && hdlr.body + 12 <= hdlr.end && buf.toString('latin1', hdlr.body + 8, hdlr.body + 12) === 'vide';
  });
  if (!video) return 'no video track';
  const tkhd = child(buf, video, 'tkhd');
  if (!tkhd) return 'the video track has no tkhd box';
  // tkhd: version 0 keeps width/height (16.16 fixed point) at 76, version 1 at 88.
  const at = tkhd.body + (buf[tkhd.body] === 1 ? 88 : 76);
  if (at + 8 > tkhd.end) return 'the tkhd box is too short';
  const facts: MovieFacts = { width: buf.readUInt32BE(at) >>> 16, height: buf.readUInt32BE(at + 4) >>> 16 };
  const mvhd = inMoov.find((b) => b.type === 'mvhd');
  if (mvhd && mvhd.body + 12 <= mvhd.end) {
    const seconds = buf[mvhd.body] === 1 ? Number(buf.readBigUInt64BE(mvhd.body + 4)) : buf.readUInt32BE(mvhd.body + 4);
    if (seconds > MAC_EPOCH_OFFSET_S) facts.createdAt = (seconds - MAC_EPOCH_OFFSET_S) * 1000;
  }
  return facts;
}

/** The file with one more top-level `free` box at the end: nothing else moves, so every offset stays valid. */
export function appendFreeBox(buf: Buffer, text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const header = Buffer.alloc(8);
  header.writeUInt32BE(8 + payload.length, 0);
  header.write('free', 4, 'latin1');
  return Buffer.concat([buf, header, payload]);
}
