// Proof that an EXIF rewrite did what it should and nothing else, read with exifr — a reader
// independent of the writer: every tag we set reads back as asked, every other tag of IFD0, the Exif,
// GPS, Interop and thumbnail IFDs reads back exactly as before, and the thumbnail bytes are the same.
import { isDeepStrictEqual } from 'node:util';

export type TiffBlock = 'ifd0' | 'exif' | 'gps' | 'interop' | 'ifd1';
export type TiffTags = Record<TiffBlock, Record<string, unknown>> & { thumbnail?: Uint8Array };

/** What a tag must read back as: a value, `absent`, or a check for values that are computed (GPS). */
export type Expectation = { equals: unknown } | { absent: true } | { check: (value: unknown) => boolean; describe: string };

export type ExpectedTags = Partial<Record<TiffBlock, Record<string, Expectation>>> & {
  /** Blocks replaced as a whole (GPS when new coordinates are written): old tags are not compared. */
  replaced?: TiffBlock[];
};

const BLOCKS: TiffBlock[] = ['ifd0', 'exif', 'gps', 'interop', 'ifd1'];
/** Offsets and pointers move whenever EXIF is rewritten; the thumbnail is compared by its bytes. */
const LAYOUT_TAGS = new Set(['513', '514', '34665', '34853', '40965']);
/** exifr's own computed keys in the GPS block. */
const DERIVED_KEYS = new Set(['latitude', 'longitude']);

const TAG_NAMES: Record<string, string> = {
  '270': 'ImageDescription',
  '305': 'Software',
  '315': 'Artist',
  '33432': 'Copyright',
  '36867': 'DateTimeOriginal',
  '36881': 'OffsetTimeOriginal',
  '37500': 'MakerNote',
};
const tagName = (block: TiffBlock, key: string): string => `${block}:${TAG_NAMES[key] ?? `0x${Number(key).toString(16).padStart(4, '0')}`}`;

/** Raw tags as stored (numeric keys, no value translation), the maker note as bytes. */
export async function readTiffTags(file: string): Promise<TiffTags> {
  // silentErrors is a real exifr option its typings lack: a damaged block must fail, not read as empty.
  const options = { exif: true, gps: true, interop: true, ifd1: true, makerNote: true, userComment: true, translateKeys: false, translateValues: false, reviveValues: false, mergeOutput: false, silentErrors: false };
  const { default: exifr } = await import('exifr'); // loaded on first use, not at activation
  const parsed = (await exifr.parse(file, options)) as Partial<Record<TiffBlock, Record<string, unknown>>> | undefined;
  const tags = Object.fromEntries(BLOCKS.map((b) => [b, { ...(parsed?.[b] ?? {}) }])) as unknown as TiffTags;
  // Only with EXIF present: exifr.thumbnail leaves its file handle open on a JPEG without EXIF.
  const thumbnail = parsed ? ((await exifr.thumbnail(file)) as Uint8Array | undefined) : undefined;
  if (thumbnail) tags.thumbnail = new Uint8Array(thumbnail);
  return tags;
}

/** Every difference between what was asked and what the rewritten file holds; empty when all is right. */
export function compareRewrite(before: TiffTags, after: TiffTags, expected: ExpectedTags): string[] {
  const problems: string[] = [];
  for (const block of BLOCKS) {
    const wanted = expected[block] ?? {};
    for (const [key, rule] of Object.entries(wanted)) {
      const value = after[block][key];
      if ('absent' in rule) {
        if (value !== undefined) problems.push(`${tagName(block, key)} should be gone but reads ${JSON.stringify(value)}`);
      } else if ('equals' in rule) {
        if (!isDeepStrictEqual(value, rule.equals)) problems.push(`${tagName(block, key)} reads ${JSON.stringify(value)}, expected ${JSON.stringify(rule.equals)}`);
      } else if (!rule.check(value)) {
        problems.push(`${tagName(block, key)} reads ${JSON.stringify(value)}, expected ${rule.describe}`);
      }
    }
    if (expected.replaced?.includes(block)) continue;
    const keys = new Set([...Object.keys(before[block]), ...Object.keys(after[block])]);
    for (const key of keys) {
      if (key in wanted || LAYOUT_TAGS.has(key) || (DERIVED_KEYS.has(key) && block === 'gps')) continue;
      const was = before[block][key];
      const now = after[block][key];
      if (now === undefined) problems.push(`${tagName(block, key)} was lost`);
      else if (was === undefined) problems.push(`${tagName(block, key)} appeared`);
      else if (!isDeepStrictEqual(was, now)) problems.push(`${tagName(block, key)} changed`);
    }
  }
  if (!isDeepStrictEqual(before.thumbnail, after.thumbnail)) problems.push('the embedded thumbnail changed');
  return problems;
}
