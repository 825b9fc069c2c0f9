// Which files Google Photos accepts, and their size limits (upload guide: photos 200 MB, videos 20 GB).
// Standard types come from the `mime` package; RAW kinds and a few old video containers have no
// registered type there, so they are listed here.
import path from 'node:path';

export type MediaKind = 'photo' | 'video';

export const PHOTO_LIMIT_BYTES = 200 * 1024 * 1024;
export const VIDEO_LIMIT_BYTES = 20 * 1024 * 1024 * 1024;

/** Photo types Google lists (AVIF, BMP, GIF, HEIC, ICO, JPG, PNG, TIFF, WEBP) by MIME type. */
const PHOTO_MIMES = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/heic',
  'image/heif',
  'image/heic-sequence',
  'image/heif-sequence',
  'image/webp',
  'image/tiff',
  'image/avif',
  'image/bmp',
  'image/x-ms-bmp',
  'image/vnd.microsoft.icon',
  'image/x-icon',
  'image/x-adobe-dng',
]);

/** Video containers Google lists (3GP, 3G2, ASF, AVI, DIVX, M2T, M2TS, M4V, MKV, MMV, MOD, MOV, MP4, MPG, MTS, TOD, WMV). */
const VIDEO_MIMES = new Set([
  'video/mp4',
  'video/quicktime',
  'video/x-m4v',
  'video/3gpp',
  'video/3gpp2',
  'video/x-msvideo',
  'video/x-matroska',
  'video/x-ms-wmv',
  'video/x-ms-asf',
  'video/mpeg',
  'video/mp2t',
]);

/** RAW kinds ("some RAW" in Google's list); uploaded as the generic camera-raw type. */
export const RAW_EXTENSIONS: Readonly<Record<string, string>> = {
  dng: 'image/x-adobe-dng',
  cr2: 'image/x-canon-cr2',
  cr3: 'image/x-canon-cr3',
  crw: 'image/x-canon-crw',
  nef: 'image/x-nikon-nef',
  nrw: 'image/x-nikon-nrw',
  arw: 'image/x-sony-arw',
  srf: 'image/x-sony-srf',
  sr2: 'image/x-sony-sr2',
  orf: 'image/x-olympus-orf',
  rw2: 'image/x-panasonic-rw2',
  raf: 'image/x-fuji-raf',
  pef: 'image/x-pentax-pef',
  srw: 'image/x-samsung-srw',
  x3f: 'image/x-sigma-x3f',
  '3fr': 'image/x-hasselblad-3fr',
  iiq: 'image/x-phaseone-iiq',
  rwl: 'image/x-leica-rwl',
  erf: 'image/x-epson-erf',
  kdc: 'image/x-kodak-kdc',
  mrw: 'image/x-minolta-mrw',
  mos: 'image/x-leaf-mos',
};

const EXTRA_VIDEO_EXTENSIONS: Readonly<Record<string, string>> = {
  divx: 'video/divx',
  mod: 'video/mpeg',
  tod: 'video/mp2t',
  mmv: 'video/x-mmv',
  m2t: 'video/mp2t',
  m2ts: 'video/mp2t',
  mts: 'video/mp2t',
};

export interface MediaType {
  kind: MediaKind;
  mimeType: string;
  limitBytes: number;
}

interface MimeLookup {
  getType(pathOrExtension: string): string | null;
}

let mimeLookup: MimeLookup | undefined;

/** `mime` is an ES module; load it once (scanning is async anyway). */
export async function loadMediaTypes(): Promise<MediaTypes> {
  if (!mimeLookup) mimeLookup = (await import('mime')).default;
  return new MediaTypes(mimeLookup);
}

export class MediaTypes {
  constructor(private readonly mime: MimeLookup) {}

  /** The type of `fileName` if Google Photos accepts it, else undefined. */
  classify(fileName: string): MediaType | undefined {
    const ext = path.extname(fileName).slice(1).toLowerCase();
    if (!ext) return undefined;
    const raw = RAW_EXTENSIONS[ext];
    if (raw) return { kind: 'photo', mimeType: raw, limitBytes: PHOTO_LIMIT_BYTES };
    const extraVideo = EXTRA_VIDEO_EXTENSIONS[ext];
    if (extraVideo) return { kind: 'video', mimeType: extraVideo, limitBytes: VIDEO_LIMIT_BYTES };
    const mimeType = this.mime.getType(ext);
    if (!mimeType) return undefined;
    if (PHOTO_MIMES.has(mimeType)) return { kind: 'photo', mimeType, limitBytes: PHOTO_LIMIT_BYTES };
    if (VIDEO_MIMES.has(mimeType)) return { kind: 'video', mimeType, limitBytes: VIDEO_LIMIT_BYTES };
    return undefined;
  }
}
