/**
 * JPEG structure as a decoder needs it: SOI, marker segments whose lengths fit, a frame header
 * (SOFn) with a size, at least one scan (SOS) with entropy-coded data, and EOI after the last scan.
 * Bytes after EOI are allowed (motion photos carry their clip there). Returns the frame size or the
 * reason the bytes are not a JPEG image.
 */
export function jpegFrame(buf: Buffer): { width: number; height: number } | string {
  if (buf.length < 2 || buf[0] !== 0xff || buf[1] !== 0xd8) return 'no JPEG SOI marker';
  let frame: { width: number; height: number } | undefined;
  let p = 2;
  for (;;) {
    // Between segments: one or more 0xFF fill bytes, then the marker code.
    if (p >= buf.length) return frame ? 'the file ends before any image data' : 'the file ends before a frame header';
    if (buf[p] !== 0xff) return `no marker at byte ${p}`;
    while (p < buf.length && buf[p] === 0xff) p++;
    if (p >= buf.length) return 'the file ends inside a marker';
    const marker = buf[p++];
    if (marker === 0xd9) return 'EOI before any scan: there is no image data';
    if (marker === 0xd8 || marker === 0x00) return `unexpected marker 0xFF${marker.toString(16).toUpperCase().padStart(2, '0')} at byte ${p - 2}`;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue;
    if (p + 2 > buf.length) return 'the file ends inside a segment length';
    const length = buf.readUInt16BE(p);
    if (length < 2 || p + length > buf.length) return `the segment at byte ${p - 2} runs past the end of the file`;
    const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      if (length < 8) return 'the frame header is too short';
      frame = { height: buf.readUInt16BE(p + 3), width: buf.readUInt16BE(p + 5) };
      if (frame.width === 0 || frame.height === 0) return 'the frame header has no size';
    }
    p += length;
    if (marker !== 0xda) continue;
    if (!frame) return 'a scan before any frame header';
    // Entropy-coded data: 0xFF is always followed by 0x00 (stuffing) or a restart marker inside it.
    const scanStart = p;
    for (;;) {
      const ff = buf.indexOf(0xff, p);
      if (ff < 0 || ff + 1 >= buf.length) return 'the file ends inside the image data (no EOI)';
      const next = buf[ff + 1];
      if (next === 0x00 || (next >= 0xd0 && next <= 0xd7) || next === 0xff) {
        p = ff + (next === 0xff ? 1 : 2);
        continue;
      }
      if (ff === scanStart) return 'a scan without image data';
      if (next === 0xd9) return frame;
      p = ff; // another segment (progressive JPEGs: DHT and more scans)
      break;
    }
  }
}
