// Memory of the EXIF writer stays flat with the photo's size: only the JPEG header is held, the image
// data is streamed through a temp copy.
//   npx tsx test/bench/exif-write-memory.bench.ts
// Prints the peak RSS above idle for writeJpegExif on a 3 MB JPEG (baseline), a 30 MB JPEG and a
// 200 MB file (the 30 MB JPEG followed by 170 MB of appended data, the layout of a motion photo), and
// for comparison the way piexif itself works (whole file as a binary string) on the 30 MB JPEG.
// Flat memory shows a ratio near 1 where the file is 10× or 66× larger.
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jpeg from 'jpeg-js';
import * as piexif from 'piexif-ts';
import { writeJpegExif } from '../../src/metadata/exifWrite';
import { buildExifSegment, insertExif } from '../fixtures/exif-writer';
import { peakRssDelta } from './measure';

const MB = 1024 * 1024;

/** A real JPEG of noise (incompressible, so its scan data is large) with camera-like EXIF. */
function noiseJpeg(width: number, height: number, seed: number): Buffer {
  const data = Buffer.alloc(width * height * 4);
  let a = seed;
  for (let i = 0; i < data.length; i++) {
    a = (a * 1103515245 + 12345) >>> 0;
    data[i] = a >>> 24;
  }
  const encoded = Buffer.from(jpeg.encode({ data, width, height }, 100).data);
  const exif = buildExifSegment({ make: 'NIKON CORPORATION', model: 'NIKON D750', dateTimeOriginal: '2020:02:03 14:02:51', width, height, exposure: [1, 250], fNumber: [80, 10], iso: 200, focalLength: [350, 10], gps: { lat: 48.8584, lon: 2.2945 } });
  return insertExif(encoded, exif);
}

const edits = { artist: 'Ana Müller', copyright: '© 2024 Ana Müller', removeSoftware: true, description: 'Benchmark', gps: { latitude: -33.8568, longitude: 151.2153 }, overwrite: true };

/** What a caller of piexif does by the book: whole file → binary string → insert → bytes → file. */
async function wholeFileWithPiexif(file: string): Promise<void> {
  const binary = (await readFile(file)).toString('latin1');
  const exif = piexif.load(binary);
  exif['0th'] = { ...exif['0th'], 315: 'Ana Müller' };
  await writeFile(`${file}.piexif.jpg`, Buffer.from(piexif.insert(piexif.dump(exif), binary), 'latin1'));
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'exif-memory-'));
  try {
    const small = path.join(dir, 'small.jpg');
    const large = path.join(dir, 'large.jpg');
    const huge = path.join(dir, 'huge.MP.jpg');
    const warm = path.join(dir, 'warm.jpg');
    await writeFile(small, noiseJpeg(1000, 800, 1));
    const largeBytes = noiseJpeg(3200, 2400, 2);
    await writeFile(large, largeBytes);
    await writeFile(huge, largeBytes);
    await appendFile(huge, Buffer.alloc(200 * MB - largeBytes.length, 7));
    await writeFile(warm, noiseJpeg(64, 64, 3));
    await writeJpegExif(warm, edits); // loads piexif and exifr outside the measurements

    const sizes: Record<string, number> = { small: (await readFile(small)).length, large: largeBytes.length };
    const baseline = await peakRssDelta(() => writeJpegExif(small, edits));
    const big = await peakRssDelta(() => writeJpegExif(large, edits));
    const hugeDelta = await peakRssDelta(() => writeJpegExif(huge, edits));
    const piexifWay = await peakRssDelta(() => wholeFileWithPiexif(large));

    const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;
    console.log(`writeJpegExif, ${mb(sizes.small)} JPEG (baseline): peak RSS +${mb(baseline)}`);
    console.log(`writeJpegExif, ${mb(sizes.large)} JPEG: peak RSS +${mb(big)}`);
    console.log(`writeJpegExif, 200 MB motion-photo layout: peak RSS +${mb(hugeDelta)}`);
    console.log(`piexif on the whole ${mb(sizes.large)} file as a binary string: peak RSS +${mb(piexifWay)}`);
    const floor = Math.max(baseline, MB);
    console.log(`ratios against the baseline: 30 MB ${(big / floor).toFixed(2)}, 200 MB ${(hugeDelta / floor).toFixed(2)} (memory that does not grow with the file stays ≤ 1); whole-file piexif ${(piexifWay / floor).toFixed(2)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
