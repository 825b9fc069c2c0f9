import { imageSize } from 'image-size';
import { boxes, movieFacts } from './bmff';
import { jpegFrame } from './jpeg';

/**
 * What Google's ingestion makes of uploaded bytes: a photo or a video of the types the upload guide
 * lists (reference §2.3), or a refusal. The type comes from the bytes, never from the declared type
 * or the file name.
 */
export type Probe =
  | { ok: true; kind: 'photo' | 'video'; mimeType: string; width: number; height: number; createdAt?: number }
  | { ok: false; reason: string };

const refuse = (reason: string): Probe => ({ ok: false, reason });

/** image-size types Google accepts (AVIF/HEIC come through the ISO BMFF branch), with their MIME types. */
const IMAGE_TYPES: Record<string, string> = { png: 'image/png', gif: 'image/gif', webp: 'image/webp', bmp: 'image/bmp', tiff: 'image/tiff', ico: 'image/x-icon' };

/** Major brands of HEIF/AVIF still images (the ones image-size reads). */
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'mif1', 'msf1', 'avif']);
/** Top-level atoms an old QuickTime movie may start with when it has no ftyp box. */
const QUICKTIME_FIRST = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot']);

export function probeMedia(bytes: Buffer): Probe {
  if (bytes.length === 0) return refuse('the file is empty');
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    const frame = jpegFrame(bytes);
    return typeof frame === 'string' ? refuse(`not a JPEG image: ${frame}`) : { ok: true, kind: 'photo', mimeType: 'image/jpeg', ...frame };
  }
  if (bytes.length >= 8 && (bytes.toString('latin1', 4, 8) === 'ftyp' || QUICKTIME_FIRST.has(bytes.toString('latin1', 4, 8)))) return probeIsoMedia(bytes);
  const video = otherVideo(bytes);
  if (video) return { ok: true, kind: 'video', mimeType: video, width: 0, height: 0 };
  return probeImage(bytes);
}

function probeImage(bytes: Buffer): Probe {
  let size: ReturnType<typeof imageSize>;
  try {
    size = imageSize(bytes);
  } catch (err) {
    return refuse(`no photo or video structure found (${err instanceof Error ? err.message : String(err)})`);
  }
  const mimeType = size.type ? IMAGE_TYPES[size.type] : undefined;
  if (!mimeType) return refuse(`${size.type ?? 'unknown'} images are not a type Google Photos accepts`);
  if (!(size.width > 0 && size.height > 0)) return refuse(`the ${size.type} header has no size`);
  return { ok: true, kind: 'photo', mimeType, width: size.width, height: size.height };
}

function probeIsoMedia(bytes: Buffer): Probe {
  const top = boxes(bytes);
  if (!top) return refuse('an ISO media box runs past the end of the file (truncated)');
  const ftyp = top[0].type === 'ftyp' ? top[0] : undefined;
  const brands = ftyp ? brandsOf(bytes, ftyp.body, ftyp.end) : [];
  if (HEIF_BRANDS.has(brands[0])) {
    let size: ReturnType<typeof imageSize>;
    try {
      size = imageSize(bytes);
    } catch (err) {
      return refuse(`not a HEIF image: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!(size.width > 0 && size.height > 0)) return refuse('not a HEIF image: no image size');
    const mimeType = brands.includes('avif') ? 'image/avif' : brands.some((b) => /^he[iv]/.test(b)) ? 'image/heic' : 'image/heif';
    return { ok: true, kind: 'photo', mimeType, width: size.width, height: size.height };
  }
  const facts = movieFacts(bytes, top);
  if (typeof facts === 'string') return refuse(`not a playable movie: ${facts}`);
  const major = brands[0] ?? 'qt  ';
  const mimeType = major === 'qt  ' ? 'video/quicktime' : major.startsWith('3g2') ? 'video/3gpp2' : major.startsWith('3g') ? 'video/3gpp' : major === 'M4V ' ? 'video/x-m4v' : 'video/mp4';
  return { ok: true, kind: 'video', mimeType, ...facts };
}

/** Major brand first, then the compatible brands. */
function brandsOf(bytes: Buffer, body: number, end: number): string[] {
  const out: string[] = [];
  for (let at = body; at + 4 <= end; at += at === body ? 8 : 4) out.push(bytes.toString('latin1', at, at + 4));
  return out;
}

const ASF_GUID = Buffer.from('3026b2758e66cf11a6d900aa0062ce6c', 'hex');

/** Video containers besides ISO media that the upload guide lists, recognised by their signatures alone. */
function otherVideo(b: Buffer): string | undefined {
  const text = (from: number, to: number): string => b.toString('latin1', from, to);
  if (b.length >= 24 && text(0, 4) === 'RIFF' && text(8, 12) === 'AVI ' && text(12, 16) === 'LIST' && text(20, 24) === 'hdrl') return 'video/x-msvideo';
  if (b.length >= 16 && b.subarray(0, 16).equals(ASF_GUID)) return 'video/x-ms-wmv';
  if (b.length >= 4 && b.readUInt32BE(0) === 0x1a45dfa3 && b.subarray(0, 64).includes('matroska')) return 'video/x-matroska';
  if (b.length >= 4 && b.readUInt32BE(0) === 0x000001ba) return 'video/mpeg';
  // MPEG transport streams: 188-byte packets (.ts, .m2t) or 192-byte ones with a timecode (.m2ts, .mts).
  for (const [first, stride] of [[0, 188], [4, 192]]) {
    if (b.length >= first + 2 * stride + 1 && [0, 1, 2].every((i) => b[first + i * stride] === 0x47)) return 'video/mp2t';
  }
  return undefined;
}

/** Width and height of a photo or video the probe accepts; 0×0 otherwise. */
export function dimensionsOf(bytes: Buffer): { width: number; height: number } {
  const p = probeMedia(bytes);
  return p.ok ? { width: p.width, height: p.height } : { width: 0, height: 0 };
}

/** The MIME type the bytes really are, if they are a photo or video the probe accepts. */
export function sniffMime(bytes: Buffer): string | undefined {
  const p = probeMedia(bytes);
  return p.ok ? p.mimeType : undefined;
}
