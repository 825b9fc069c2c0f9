// Turns a name that came from a server (a media item's filename, an album title) into one file or
// folder name that is valid on Linux, macOS and Windows and cannot point anywhere but into the folder
// it is joined to.
//
// Written here rather than taken from npm: `sanitize-filename` drops the whole name for reserved
// Windows names (`CON.jpg` → ``), returns `` instead of a fallback, cuts the extension away when it
// shortens, does no NFC and keeps leading whitespace; `filenamify` (ESM only) measures length in
// UTF-16 units, not the UTF-8 bytes ext4/APFS count, and keeps leading dots and spaces. Neither covers
// the list below, and each rule here is one line.

/** ext4, APFS, btrfs and XFS allow 255 bytes per name (NTFS and exFAT 255 UTF-16 units, always ≥ that). */
export const MAX_NAME_BYTES = 255;

/** Used when nothing usable is left of a name. */
export const FALLBACK_NAME = 'unnamed';

/** Every character that cannot appear in a name is replaced by this one. */
const REPLACEMENT = '_';

// C0 and C1 controls and DEL; the Unicode line/paragraph separators; bidi controls, which can make
// `photo‮gpj.exe` display as `photoexe.jpg`.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// Path separators, and what Windows forbids (`:` also makes drive letters `C:` and NTFS streams).
const FORBIDDEN = /[/\\<>:"|?*]/g;
// Half of a surrogate pair without its other half: UTF-8 cannot encode it, so the name on disk would
// differ from the name we computed.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// Windows reserves these device names with any extension, in any case, even with spaces before the dot.
const WINDOWS_RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³]) *(\..*)?$/i;
// An extension worth keeping when shortening: a dot, then 1–16 characters without spaces or dots.
const EXTENSION = /\.[^.\s]{1,16}$/;

export interface SafeNameOptions {
  /** Used when nothing usable is left; must itself be a safe name. Default `unnamed`. */
  fallback?: string;
  /** Default 255 (UTF-8 bytes). */
  maxBytes?: number;
}

/** A file name: shortening keeps the extension (`…stem.jpg`). */
export function safeFileName(raw: string, options: SafeNameOptions = {}): string {
  return safeName(raw, true, options);
}

/** A folder name (album title, path segment): shortening cuts from the end, there is no extension. */
export function safeFolderName(raw: string, options: SafeNameOptions = {}): string {
  return safeName(raw, false, options);
}

/** True when `name` is already what safeFileName would make of it (and so safe to join to a folder). */
export function isSafeName(name: string, maxBytes = MAX_NAME_BYTES): boolean {
  return name !== '' && safeName(name, true, { fallback: '\0', maxBytes }) === name;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Splits `IMG_1.jpeg` into `IMG_1` and `.jpeg`; a name without a usable extension has ext ``. */
export function splitExtension(name: string): { stem: string; ext: string } {
  const match = EXTENSION.exec(name);
  if (!match || match.index === 0) return { stem: name, ext: '' };
  return { stem: name.slice(0, match.index), ext: match[0] };
}

/**
 * `stem + ext`, with `stem` cut (never inside a character, surrogate pair or grapheme such as 👩‍👩‍👧 or
 * `é` written as e + accent) so the whole name fits `maxBytes`. Trailing dots and spaces the cut
 * exposes are removed (Windows drops them silently).
 */
export function fitName(stem: string, ext: string, maxBytes = MAX_NAME_BYTES): string {
  const budget = maxBytes - utf8Bytes(ext);
  let kept = '';
  if (utf8Bytes(stem) <= budget) {
    kept = stem;
  } else {
    let used = 0;
    for (const piece of graphemes(stem)) {
      const size = utf8Bytes(piece);
      if (used + size > budget) break;
      kept += piece;
      used += size;
    }
  }
  return (kept + ext).replace(/[. ]+$/, '');
}

function safeName(raw: string, keepExtension: boolean, options: SafeNameOptions): string {
  const maxBytes = options.maxBytes ?? MAX_NAME_BYTES;
  let name = String(raw)
    .replace(LONE_SURROGATE, REPLACEMENT)
    .normalize('NFC')
    .trim() // before replacing controls, so a trailing tab or newline goes rather than turning into `_`
    .replace(CONTROL, REPLACEMENT)
    .replace(FORBIDDEN, REPLACEMENT)
    // A leading dot hides the file from the user (and `.`/`..` are not names at all); it also keeps
    // server names out of the `.photosync-*.part` namespace of our temp files.
    .replace(/^[.\s]+/, '')
    // Windows strips trailing dots and spaces, so `a.` and `a` would be the same file there.
    .replace(/[.\s]+$/, '');
  if (name === '') return options.fallback ?? FALLBACK_NAME;

  const { stem, ext } = keepExtension ? splitExtension(name) : { stem: name, ext: '' };
  name = fitName(stem, ext, maxBytes);
  if (WINDOWS_RESERVED.test(name)) {
    // `CON.jpg` → `CON_.jpg`: the name stays recognisable and is no longer a device.
    const dot = name.indexOf('.');
    const device = dot === -1 ? name : name.slice(0, dot).trimEnd();
    name = fitName(device, REPLACEMENT + (dot === -1 ? '' : name.slice(dot)), maxBytes);
  }
  return name === '' ? (options.fallback ?? FALLBACK_NAME) : name;
}

function graphemes(text: string): Iterable<string> {
  if (typeof Intl.Segmenter === 'function') {
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    return Array.from(segmenter.segment(text), (s) => s.segment);
  }
  return Array.from(text); // code points: never splits a surrogate pair
}
