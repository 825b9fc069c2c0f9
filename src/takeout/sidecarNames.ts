// Reads what a Takeout JSON sidecar's file name says about the media file it describes. Google
// builds the name as `<media name>[.supplemental-metadata]`, caps that at 46 UTF-16 units (51 with
// `.json`) and then appends a duplicate counter `(n)` — so the suffix, or even the media
// extension, can be cut anywhere, and the counter moves from the media stem to the end.
// Sources: immich-go docs/misc/google-takeout.md and matcher_test.go; GPTH json_extractor.dart.

const SUPPLEMENTAL = 'supplemental-metadata';
/** Length cap of the JSON name before the counter and `.json`. */
export const SIDECAR_BASE_CAP = 46;

export interface SidecarName {
  /** The sidecar's own file name. */
  readonly fileName: string;
  /** The media name it was made for — complete, or its first characters when `capped`. */
  readonly mediaName: string;
  /** Duplicate counter `(n)`, moved to the end of the JSON name by Google. */
  readonly counter?: number;
  readonly supplemental: 'none' | 'full' | 'truncated';
  /** The name hit the 46-unit cap, so `mediaName` may be a prefix of the real name. */
  readonly capped: boolean;
}

/** Undefined when the name is not a `.json` file. */
export function parseSidecarName(fileName: string): SidecarName | undefined {
  if (!/\.json$/i.test(fileName)) return undefined;
  let base = fileName.slice(0, -5);
  let counter: number | undefined;
  const takeCounter = () => {
    const m = /^(.+)\((\d{1,4})\)$/.exec(base);
    if (m && counter === undefined) {
      counter = Number(m[2]);
      base = m[1];
    }
  };
  takeCounter(); // IMG.jpg(1).json, IMG.jpg.supplemental-metadata(1).json
  const capped = isCapped(base);
  let supplemental: SidecarName['supplemental'] = 'none';
  const dot = base.lastIndexOf('.');
  const tail = base.slice(dot + 1).toLowerCase();
  if (dot > 0 && (tail === '' || SUPPLEMENTAL.startsWith(tail))) {
    supplemental = tail === SUPPLEMENTAL ? 'full' : 'truncated';
    base = base.slice(0, dot);
  }
  takeCounter(); // IMG.HEIC(1).supplemental-metadata.json
  if (base === '') return undefined;
  return { fileName, mediaName: base, counter, supplemental, capped };
}

function isCapped(base: string): boolean {
  return base.length === SIDECAR_BASE_CAP || [...base].length === SIDECAR_BASE_CAP;
}

/** `IMG(2).jpg` → stem `IMG`, counter 2, extension `.jpg` (extension keeps its dot and case). */
export interface MediaNameParts {
  readonly stem: string;
  readonly extension: string;
  readonly counter?: number;
}

export function parseMediaName(fileName: string): MediaNameParts {
  const dot = fileName.lastIndexOf('.');
  const stem = dot > 0 ? fileName.slice(0, dot) : fileName;
  const extension = dot > 0 ? fileName.slice(dot) : '';
  const m = /^(.+)\((\d{1,4})\)$/.exec(stem);
  return m ? { stem: m[1], extension, counter: Number(m[2]) } : { stem, extension };
}

/**
 * Suffixes Google Photos adds to edited copies, which have no sidecar of their own (immich-go docs
 * table; GPTH lib/extras.dart and the Xentraxx fork's extra_formats.dart), lower case, NFC.
 */
export const EDITED_SUFFIXES: readonly string[] = [
  '-edited', '-effects', '-smile', '-mix', '-motion', '-animation', '-collage',
  '-edytowane', '-bearbeitet', '-bewerkt', '-編集済み', '-编辑', '-已编辑', '-modificato', '-modifié', '-ha editado',
  '-editado', '-editat', '-отредактировано', '-відредаговано', '-편집됨', '-düzenlendi', '-تم التعديل', '-संपादित',
  '-đã chỉnh sửa', '-แก้ไขแล้ว', '-diedit', '-muokattu', '-redigeret', '-redigerad', '-redigert', '-upravené', '-upraveno',
].map((s) => s.normalize('NFC'));

/** The stem without its edited-copy suffix, or undefined when it has none. */
export function stripEditedSuffix(stem: string): string | undefined {
  const lower = stem.toLowerCase();
  for (const suffix of EDITED_SUFFIXES) {
    if (lower.endsWith(suffix) && stem.length > suffix.length) return stem.slice(0, stem.length - suffix.length);
  }
  return undefined;
}
