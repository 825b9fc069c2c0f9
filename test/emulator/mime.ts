/** Types the Library API accepts (upload guide): photos up to 200 MB, videos up to 20 GB. */
const PHOTO: Record<string, string> = {
  avif: 'image/avif', bmp: 'image/bmp', gif: 'image/gif', heic: 'image/heic', heif: 'image/heif', ico: 'image/x-icon',
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', tif: 'image/tiff', tiff: 'image/tiff', webp: 'image/webp',
  dng: 'image/x-adobe-dng', cr2: 'image/x-canon-cr2', nef: 'image/x-nikon-nef', arw: 'image/x-sony-arw',
};
const VIDEO: Record<string, string> = {
  '3gp': 'video/3gpp', '3g2': 'video/3gpp2', asf: 'video/x-ms-asf', avi: 'video/x-msvideo', divx: 'video/divx', m2t: 'video/mp2t',
  m2ts: 'video/mp2t', m4v: 'video/x-m4v', mkv: 'video/x-matroska', mmv: 'video/mmv', mod: 'video/mpeg', mov: 'video/quicktime',
  mp4: 'video/mp4', mpg: 'video/mpeg', mts: 'video/mp2t', tod: 'video/mpeg', wmv: 'video/x-ms-wmv',
};

export const MAX_PHOTO_BYTES = 200 * 1024 * 1024;
export const MAX_VIDEO_BYTES = 20 * 1024 * 1024 * 1024;

export function mimeForName(name: string): string | undefined {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  return PHOTO[ext] ?? VIDEO[ext];
}

export function isVideoMime(mime: string): boolean {
  return mime.startsWith('video/');
}

/** Sniffs the real type from the bytes, as Google does (the declared type is only a hint). */
export function sniffMime(bytes: Buffer): string | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.length >= 8 && bytes.toString('latin1', 1, 4) === 'PNG') return 'image/png';
  if (bytes.length >= 6 && bytes.toString('latin1', 0, 3) === 'GIF') return 'image/gif';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (bytes.length >= 2 && bytes.toString('latin1', 0, 2) === 'BM') return 'image/bmp';
  if (bytes.length >= 12 && bytes.toString('latin1', 4, 8) === 'ftyp') {
    const brand = bytes.toString('latin1', 8, 12);
    if (/^(heic|heix|mif1|msf1)/.test(brand)) return 'image/heic';
    if (brand === 'avif') return 'image/avif';
    if (brand === 'qt  ') return 'video/quicktime';
    return 'video/mp4';
  }
  if (bytes.length >= 4 && (bytes.toString('latin1', 0, 4) === 'II*\0' || bytes.toString('latin1', 0, 4) === 'MM\0*')) return 'image/tiff';
  return undefined;
}
