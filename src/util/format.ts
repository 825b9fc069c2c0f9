// Plain-words numbers for progress messages, previews, the status bar and the command line. One
// formatter each, so the same bytes read the same everywhere.

// Numbers and times follow VS Code's display language: the extension passes `vscode.env.language`
// to setDisplayLanguage() at activation. The command line and the tests never set it, so they keep
// English grouping (1,234) and 24-hour times (09:00).
const ENGLISH = 'en-US';
// The language lives on the process, not in this module: dist/commands.js bundles its own copy of
// this file (the lazy split does not share it with dist/extension.js, where activation sets it), and
// both copies must write numbers the same way.
const LANGUAGE = Symbol.for('photoSync.displayLanguage');
type WithLanguage = { [LANGUAGE]?: string };
const current = (): string => (globalThis as WithLanguage)[LANGUAGE] ?? ENGLISH;

// Made on first use: the first Intl formatter in a process loads locale data (tens of ms), which
// activation does not need. Made again when the language changed.
let madeFor = ENGLISH;
let counts: Intl.NumberFormat | undefined;
const times = new Map<string, Intl.DateTimeFormat>();
let dateTimes: Intl.DateTimeFormat | undefined;
const decimals: (Intl.NumberFormat | undefined)[] = [];

/** The current language, after dropping formatters made for another. */
function language(): string {
  const now = current();
  if (now !== madeFor) {
    madeFor = now;
    counts = undefined;
    times.clear();
    dateTimes = undefined;
    decimals.length = 0;
  }
  return now;
}

/** The language numbers and times are written in: a BCP 47 tag (VS Code's "de", "pt-br", "zh-cn"); unknown or none: English. */
export function setDisplayLanguage(tag: string | undefined): void {
  let next = ENGLISH;
  try {
    if (tag && Intl.NumberFormat.supportedLocalesOf([tag]).length) next = tag;
  } catch {
    // Not a well-formed tag (VS Code's pseudo-locale "qps-ploc" is one Intl may refuse): English.
  }
  (globalThis as WithLanguage)[LANGUAGE] = next;
}

/** The language set by setDisplayLanguage (English by default). */
export function displayLanguage(): string {
  return current();
}

/** "1,234" in English, "1.234" in German, "1 234" in French. */
export function formatCount(n: number): string {
  const lang = language();
  return (counts ??= new Intl.NumberFormat(lang)).format(n);
}

/** Binary units as VS Code shows file sizes (1 KB = 1,024 bytes): 412 MB, 5.1 GB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  // English keeps toFixed's digits exactly; another language writes its own decimal separator (5,1 GB).
  const lang = language();
  const number = lang === ENGLISH ? value.toFixed(digits) : (decimals[digits] ??= new Intl.NumberFormat(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false })).format(value);
  return `${number} ${units[unit]}`;
}

/** "45 s", "3 min", "2 h 10 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** "09:00" (24-hour, in the display language's digits and separator) in the user's time zone (or the given one). */
export function formatTimeOfDay(at: number, timeZone?: string): string {
  const lang = language();
  const key = timeZone ?? '';
  let f = times.get(key);
  if (!f) times.set(key, (f = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone })));
  return f.format(new Date(at));
}

/** A date with its time as the display language writes them: "30 Nov 2026, 14:05" (en-GB), "Nov 30, 2026, 2:05 PM" (en-US). */
export function formatDateTime(at: number): string {
  const lang = language();
  return (dateTimes ??= new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' })).format(new Date(at));
}
