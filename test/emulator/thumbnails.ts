import jpeg from 'jpeg-js';

interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

const cache = new Map<string, Buffer>();
const CACHE_MAX = 200;

function decode(bytes: Buffer): Rgba | undefined {
  try {
    const img = jpeg.decode(bytes, { useTArray: true, maxResolutionInMP: 120, maxMemoryUsageInMB: 1024 });
    return { width: img.width, height: img.height, data: img.data };
  } catch {
    return undefined;
  }
}

/** Area-average downscale (or nearest upscale) of an RGBA image region to w×h. */
function resample(src: Rgba, sx: number, sy: number, sw: number, sh: number, w: number, h: number): Rgba {
  const out = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    const y0 = sy + Math.floor((y * sh) / h);
    const y1 = Math.max(y0 + 1, sy + Math.floor(((y + 1) * sh) / h));
    for (let x = 0; x < w; x++) {
      const x0 = sx + Math.floor((x * sw) / w);
      const x1 = Math.max(x0 + 1, sx + Math.floor(((x + 1) * sw) / w));
      let r = 0;
      let g = 0;
      let b = 0;
      let n = 0;
      for (let yy = y0; yy < y1; yy++) {
        for (let xx = x0; xx < x1; xx++) {
          const i = (yy * src.width + xx) * 4;
          r += src.data[i];
          g += src.data[i + 1];
          b += src.data[i + 2];
          n++;
        }
      }
      const o = (y * w + x) * 4;
      out[o] = r / n;
      out[o + 1] = g / n;
      out[o + 2] = b / n;
      out[o + 3] = 255;
    }
  }
  return { width: w, height: h, data: out };
}

function placeholder(w: number, h: number): Rgba {
  const data = new Uint8Array(w * h * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = 160;
    data[i + 1] = 160;
    data[i + 2] = 170;
    data[i + 3] = 255;
  }
  return { width: w, height: h, data };
}

export interface SizeSpec {
  width?: number;
  height?: number;
  crop: boolean;
}

/**
 * A JPEG rendition as Google serves `=wW-hH`: fits inside W×H keeping the aspect ratio (never
 * upscales), or with `-c` fills exactly W×H by cropping the centre. Non-JPEG sources get a plain frame.
 */
export function thumbnail(cacheKey: string, bytes: Buffer, spec: SizeSpec, fallbackSize: { width: number; height: number }): Buffer {
  const key = `${cacheKey}:${spec.width ?? ''}x${spec.height ?? ''}${spec.crop ? 'c' : ''}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const src = decode(bytes) ?? placeholder(Math.max(1, Math.min(fallbackSize.width || 512, 512)), Math.max(1, Math.min(fallbackSize.height || 384, 384)));
  const maxW = spec.width ?? (spec.height ? Infinity : 512);
  const maxH = spec.height ?? (spec.width ? Infinity : 512);
  let out: Rgba;
  if (spec.crop && spec.width && spec.height) {
    const w = Math.min(spec.width, src.width);
    const h = Math.min(spec.height, src.height);
    const scale = Math.max(w / src.width, h / src.height);
    const sw = Math.min(src.width, Math.round(w / scale));
    const sh = Math.min(src.height, Math.round(h / scale));
    out = resample(src, Math.floor((src.width - sw) / 2), Math.floor((src.height - sh) / 2), sw, sh, w, h);
  } else {
    const scale = Math.min(1, maxW / src.width, maxH / src.height);
    const w = Math.max(1, Math.round(src.width * scale));
    const h = Math.max(1, Math.round(src.height * scale));
    out = scale === 1 ? src : resample(src, 0, 0, src.width, src.height, w, h);
  }
  const encoded = jpeg.encode({ width: out.width, height: out.height, data: out.data }, 85).data;
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(key, encoded);
  return encoded;
}
