// Makes a thumbnail in the webview for a photo the host has none for: the browser decodes it
// (createImageBitmap honours the file's EXIF orientation), downscales it, and an OffscreenCanvas
// encodes the JPEG the host caches. No native module needed on the host.

export interface DecodedThumbnail {
  jpeg: Uint8Array;
  width: number;
  height: number;
}

const JPEG_QUALITY = 0.82;
/** Full-size decodes are memory-heavy: at most two at once. */
const MAX_PARALLEL = 2;
let running = 0;
const waiting: (() => void)[] = [];

export async function decodeToJpeg(bytes: Uint8Array, mimeType: string, maxSize: number, orientation?: number): Promise<DecodedThumbnail> {
  if (running >= MAX_PARALLEL) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await decode(bytes, mimeType, maxSize, orientation);
  } finally {
    running--;
    waiting.shift()?.();
  }
}

async function decode(bytes: Uint8Array, mimeType: string, maxSize: number, orientation = 1): Promise<DecodedThumbnail> {
  const full = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeType }));
  let small: ImageBitmap | undefined;
  try {
    const scale = Math.min(1, maxSize / Math.max(full.width, full.height));
    const w = Math.max(1, Math.round(full.width * scale));
    const h = Math.max(1, Math.round(full.height * scale));
    // The bitmap resize filters properly; a single drawImage from a large image would alias.
    small = scale < 1 ? await createImageBitmap(full, { resizeWidth: w, resizeHeight: h, resizeQuality: 'high' }) : full;
    const turned = orientation >= 5;
    const canvas = new OffscreenCanvas(turned ? h : w, turned ? w : h);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('No 2D canvas');
    ctx.fillStyle = '#ffffff'; // JPEG has no alpha: transparent areas become white, not black
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    applyOrientation(ctx, orientation, w, h);
    ctx.drawImage(small, 0, 0);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: JPEG_QUALITY });
    return { jpeg: new Uint8Array(await blob.arrayBuffer()), width: canvas.width, height: canvas.height };
  } finally {
    if (small && small !== full) small.close();
    full.close();
  }
}

/** EXIF orientation 2–8 as a canvas transform for an image of w×h (before turning). */
function applyOrientation(ctx: OffscreenCanvasRenderingContext2D, orientation: number, w: number, h: number): void {
  const transforms: Record<number, [number, number, number, number, number, number]> = {
    2: [-1, 0, 0, 1, w, 0],
    3: [-1, 0, 0, -1, w, h],
    4: [1, 0, 0, -1, 0, h],
    5: [0, 1, 1, 0, 0, 0],
    6: [0, 1, -1, 0, h, 0],
    7: [0, -1, -1, 0, h, w],
    8: [0, -1, 1, 0, 0, w],
  };
  const t = transforms[orientation];
  if (t) ctx.transform(...t);
}
