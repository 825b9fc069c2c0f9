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

/** A file extension for a MIME type, for names Google makes up when the upload had none. */
export function extensionFor(mime: string): string {
  const preferred: Record<string, string> = { 'image/jpeg': 'jpg', 'image/tiff': 'tif', 'video/mpeg': 'mpg', 'video/mp2t': 'mts' };
  return preferred[mime] ?? Object.entries({ ...PHOTO, ...VIDEO }).find(([, m]) => m === mime)?.[0] ?? 'bin';
}
