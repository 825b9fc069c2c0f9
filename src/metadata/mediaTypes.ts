// What kind of file a name is: a photo or video and its MIME type. Standard types come from the
// `mime` package; RAW kinds and a few old video containers have no registered type there, so they
// are listed here. Which of these a service accepts, and up to which size, is the service's rule
// (see each destination's media rules).
import path from 'node:path';

export type MediaKind = 'photo' | 'video';

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

  /** The photo or video type of `fileName` by its extension, else undefined. */
  typeOf(fileName: string): MediaType | undefined {
    const ext = path.extname(fileName).slice(1).toLowerCase();
    if (!ext) return undefined;
    const raw = RAW_EXTENSIONS[ext];
    if (raw) return { kind: 'photo', mimeType: raw };
    const extraVideo = EXTRA_VIDEO_EXTENSIONS[ext];
    if (extraVideo) return { kind: 'video', mimeType: extraVideo };
    const mimeType = this.mime.getType(ext);
    if (mimeType?.startsWith('image/')) return { kind: 'photo', mimeType };
    if (mimeType?.startsWith('video/')) return { kind: 'video', mimeType };
    return undefined;
  }
}
