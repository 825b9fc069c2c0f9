// Test photos made on the fly: plain JPEGs of one colour, and JPEGs carrying an EXIF-embedded
// thumbnail (IFD1) with an optional orientation, as cameras write them.
import jpeg from 'jpeg-js';

export function solidJpeg(width: number, height: number, rgb: [number, number, number], quality = 80): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let i = 0; i < data.length; i += 4) {
    data[i] = rgb[0];
    data[i + 1] = rgb[1];
    data[i + 2] = rgb[2];
    data[i + 3] = 255;
  }
  return Buffer.from(jpeg.encode({ width, height, data }, quality).data);
}

/** The average colour and size of a JPEG, to tell which image a thumbnail came from. */
export function inspectJpeg(bytes: Uint8Array): { width: number; height: number; rgb: [number, number, number] } {
  const img = jpeg.decode(bytes, { useTArray: true });
  const sum = [0, 0, 0];
  for (let i = 0; i < img.data.length; i += 4) for (let c = 0; c < 3; c++) sum[c] += img.data[i + c];
  const n = img.data.length / 4;
  return { width: img.width, height: img.height, rgb: [Math.round(sum[0] / n), Math.round(sum[1] / n), Math.round(sum[2] / n)] };
}

/** `photo` with an APP1 EXIF block right after SOI: IFD0 (Orientation) → IFD1 (the thumbnail). */
export function withExifThumbnail(photo: Buffer, thumbnail: Buffer, orientation = 1): Buffer {
  const thumbOffset = 8 + 18 + 30;
  const tiff = Buffer.alloc(thumbOffset + thumbnail.length);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  // IFD0: one entry, then the offset of IFD1.
  tiff.writeUInt16LE(1, 8);
  entry(tiff, 10, 0x0112, 3, orientation);
  tiff.writeUInt32LE(26, 22);
  // IFD1: where the thumbnail is and how long; no next IFD.
  tiff.writeUInt16LE(2, 26);
  entry(tiff, 28, 0x0201, 4, thumbOffset);
  entry(tiff, 40, 0x0202, 4, thumbnail.length);
  tiff.writeUInt32LE(0, 52);
  thumbnail.copy(tiff, thumbOffset);
  const header = Buffer.from('Exif\0\0', 'latin1');
  const app1 = Buffer.alloc(4);
  app1.writeUInt16BE(0xffe1, 0);
  app1.writeUInt16BE(2 + header.length + tiff.length, 2);
  return Buffer.concat([photo.subarray(0, 2), app1, header, tiff, photo.subarray(2)]);
}

function entry(buf: Buffer, at: number, tag: number, type: 3 | 4, value: number): void {
  buf.writeUInt16LE(tag, at);
  buf.writeUInt16LE(type, at + 2);
  buf.writeUInt32LE(1, at + 4);
  if (type === 3) buf.writeUInt16LE(value, at + 8);
  else buf.writeUInt32LE(value, at + 8);
}

/** A small landscape (sky gradient, sun, ground) whose colours follow `seed`: thumbnails that look like photos. */
export function sceneJpeg(width: number, height: number, seed: number): Buffer {
  const hue = (seed * 47) % 360;
  const [sr, sg, sb] = hsl(hue, 0.55, 0.62);
  const [gr, gg, gb] = hsl((hue + 140) % 360, 0.45, 0.32);
  const sunX = width * (0.2 + ((seed * 13) % 60) / 100);
  const sunY = height * 0.3;
  const horizon = height * (0.55 + ((seed * 7) % 20) / 100);
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const sky = y < horizon;
      const t = sky ? y / horizon : (y - horizon) / (height - horizon);
      let rgb = sky ? [sr + (255 - sr) * t * 0.6, sg + (255 - sg) * t * 0.6, sb + (255 - sb) * t * 0.6] : [gr * (1 - t * 0.4), gg * (1 - t * 0.4), gb * (1 - t * 0.4)];
      if (sky && Math.hypot(x - sunX, y - sunY) < height * 0.12) rgb = [255, 236, 170];
      data[i] = rgb[0];
      data[i + 1] = rgb[1];
      data[i + 2] = rgb[2];
      data[i + 3] = 255;
    }
  }
  return Buffer.from(jpeg.encode({ width, height, data }, 82).data);
}

function hsl(h: number, s: number, l: number): [number, number, number] {
  const k = (n: number) => (n + h / 30) % 12;
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => l - a * Math.max(-1, Math.min(k(n) - 3, 9 - k(n), 1));
  return [Math.round(f(0) * 255), Math.round(f(8) * 255), Math.round(f(4) * 255)];
}

/** Left half one colour, right half another: shows which way an image was turned. */
export function halvesJpeg(width: number, height: number, left: [number, number, number], right: [number, number, number]): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const c = x < width / 2 ? left : right;
      data.set([c[0], c[1], c[2], 255], (y * width + x) * 4);
    }
  }
  return Buffer.from(jpeg.encode({ width, height, data }, 90).data);
}

/** Average colour of a horizontal band [from, to) of a JPEG (fractions of its height). */
export function bandColour(bytes: Uint8Array, from: number, to: number): [number, number, number] {
  const img = jpeg.decode(bytes, { useTArray: true });
  const sum = [0, 0, 0];
  let n = 0;
  for (let y = Math.floor(img.height * from); y < Math.floor(img.height * to); y++) {
    for (let x = 0; x < img.width; x++, n++) for (let c = 0; c < 3; c++) sum[c] += img.data[(y * img.width + x) * 4 + c];
  }
  return [Math.round(sum[0] / n), Math.round(sum[1] / n), Math.round(sum[2] / n)];
}
