// Pairs the media files of one Takeout folder with their JSON sidecars. Rules run from the strictest
// to the loosest and every looser rule needs the name structure to line up, not just a shared
// prefix: a wrong sidecar writes a stranger's date and place into a photo (GPTH-Neo #139/#140), while
// a missing one only leaves the file's own EXIF — so an ambiguous fit is left unmatched.
import { isMediaName, isVideoName } from './entryNames';
import { parseMediaName, parseSidecarName, SIDECAR_BASE_CAP, stripEditedSuffix, type SidecarName } from './sidecarNames';

export type MatchRule =
  | 'exact' // IMG.jpg ↔ IMG.jpg.json
  | 'supplemental' // IMG.jpg ↔ IMG.jpg.supplemental-metadata.json
  | 'supplemental-truncated' // IMG.jpg ↔ IMG.jpg.supplemental-me.json (name cap)
  | 'duplicate-counter' // IMG(1).jpg ↔ IMG.jpg(1).json / IMG.jpg.supplemental-metadata(1).json
  | 'truncated-name' // <47-char stem>.jpg ↔ <first 46 chars>.json
  | 'edited-copy' // IMG-edited.jpg (and localised) shares IMG.jpg's sidecar
  | 'motion-photo' // PXL_….MP ↔ PXL_….MP.jpg.json, PXL_….MP~2.jpg ↔ PXL_….MP.jpg.json
  | 'live-photo' // IMG.MOV without a sidecar shares IMG.HEIC's
  | 'without-extension' // IMG.jpg ↔ IMG.json
  | 'none';

export interface SidecarMatch {
  readonly kind: 'exact' | 'fallback' | 'none';
  readonly rule: MatchRule;
  /** The sidecar's file name (in the same folder). */
  readonly sidecar?: string;
  /** Why there is no match when a sidecar nearly fit. */
  readonly note?: string;
}

export interface SidecarCandidate {
  readonly fileName: string;
  /** `title` from inside the JSON (the name as uploaded), used only to settle ties. */
  readonly title?: string;
}

export interface FolderMatches {
  readonly media: ReadonlyMap<string, SidecarMatch>;
  readonly orphanSidecars: readonly string[];
}

const EXACT_RULES: ReadonlySet<MatchRule> = new Set(['exact', 'supplemental']);
const NONE: SidecarMatch = { kind: 'none', rule: 'none' };

/** Matches one folder. Names must be NFC (the readers normalise them). */
export function matchFolder(mediaNames: readonly string[], sidecars: readonly SidecarCandidate[]): FolderMatches {
  const index = new SidecarIndex(sidecars);
  const found = new Map<string, SidecarMatch>();
  const families = new Map<string, string>();
  for (const name of mediaNames) {
    const { match, family } = matchByName(name, index);
    found.set(name, match);
    families.set(name, family);
  }
  shareWithLivePhotoHalves(mediaNames, found, families);
  settleAmbiguousClaims(found, families, index);
  const used = new Set([...found.values()].map((m) => m.sidecar));
  return { media: found, orphanSidecars: sidecars.map((s) => s.fileName).filter((n) => !used.has(n)) };
}

class SidecarIndex {
  readonly byFileName = new Map<string, SidecarName>();
  readonly titles = new Map<string, string>();
  private readonly byKey = new Map<string, SidecarName[]>();

  constructor(sidecars: readonly SidecarCandidate[]) {
    for (const candidate of sidecars) {
      const parsed = parseSidecarName(candidate.fileName);
      if (!parsed) continue;
      this.byFileName.set(candidate.fileName, parsed);
      if (candidate.title) this.titles.set(candidate.fileName, candidate.title.normalize('NFC'));
      const key = keyOf(parsed.mediaName, parsed.counter);
      const list = this.byKey.get(key);
      if (list) list.push(parsed);
      else this.byKey.set(key, [parsed]);
    }
  }

  /** Sidecars made for exactly this media name and counter. */
  find(mediaName: string, counter: number | undefined): SidecarName[] {
    return this.byKey.get(keyOf(mediaName, counter)) ?? [];
  }
}

function keyOf(name: string, counter: number | undefined): string {
  return `${name}\u0000${counter ?? ''}`;
}

/** The strict rules for one name: exact, supplemental (whole or cut), counter, 46-char cut. */
function lookup(name: string, counter: number | undefined, index: SidecarIndex, allowCut = true): { sidecar: SidecarName; rule: MatchRule } | undefined {
  if (counter === undefined) {
    const exact = index.byFileName.get(`${name}.json`);
    if (exact) return { sidecar: exact, rule: 'exact' };
    const supplemental = index.byFileName.get(`${name}.supplemental-metadata.json`);
    if (supplemental) return { sidecar: supplemental, rule: 'supplemental' };
  }
  const direct = index.find(name, counter);
  const preferred = direct.find((s) => s.supplemental === 'none') ?? direct[0];
  if (preferred) {
    const rule: MatchRule = counter !== undefined ? 'duplicate-counter' : preferred.supplemental === 'full' ? 'supplemental' : preferred.supplemental === 'truncated' ? 'supplemental-truncated' : 'exact';
    return { sidecar: preferred, rule };
  }
  if (!allowCut) return undefined;
  // The name was cut at 46 units (the suffix entirely, then the name itself): the sidecar's media
  // name is a prefix, and the sidecar must really have hit the cap.
  for (let length = Math.min(name.length - 1, SIDECAR_BASE_CAP); length >= SIDECAR_BASE_CAP - '.supplemental-metadata'.length; length--) {
    const cut = index.find(name.slice(0, length), counter).find((s) => s.capped);
    if (cut) return { sidecar: cut, rule: 'truncated-name' };
  }
  return undefined;
}

/**
 * The match of one name, and its "family": the media name the sidecar was looked up under (plus the
 * counter), which is what an original, its edited copy and its live-photo video have in common.
 */
function matchByName(name: string, index: SidecarIndex): { match: SidecarMatch; family: string } {
  const { stem, extension, counter } = parseMediaName(name);
  const attempt = (lookedUp: string, lookedUpCounter: number | undefined, found: ReturnType<typeof lookup>, rule?: MatchRule) => {
    if (!found) return undefined;
    const finalRule = rule ?? found.rule;
    return { match: { kind: EXACT_RULES.has(finalRule) ? ('exact' as const) : ('fallback' as const), rule: finalRule, sidecar: found.sidecar.fileName }, family: keyOf(lookedUp.toLowerCase(), lookedUpCounter) };
  };
  // A counted name is cut before its counter is added, so the cut rule runs on the uncounted name.
  const direct = attempt(name, undefined, lookup(name, undefined, index, counter === undefined));
  if (direct) return direct;
  if (counter !== undefined) {
    const counted = lookup(stem + extension, counter, index);
    const withCounter = attempt(stem + extension, counter, counted, counted?.rule === 'truncated-name' ? 'truncated-name' : 'duplicate-counter');
    if (withCounter) return withCounter;
  }
  const original = stripEditedSuffix(stem);
  if (original !== undefined) {
    const edited = attempt(original + extension, counter, lookup(original + extension, counter, index), 'edited-copy');
    if (edited) return edited;
  }
  for (const candidate of motionPhotoNames(stem + extension)) {
    const found = attempt(candidate, counter, lookup(candidate, counter, index), 'motion-photo');
    if (found) return found;
  }
  // IMG_1234.json: only when that JSON's name carries no media extension of its own.
  if (!isMediaName(stem)) {
    const bare = index.find(stem, counter).find((s) => !isMediaName(s.mediaName));
    if (bare) return { match: { kind: 'fallback', rule: 'without-extension', sidecar: bare.fileName }, family: keyOf(stem.toLowerCase(), counter) };
  }
  return { match: NONE, family: keyOf(name.toLowerCase(), undefined) };
}

/** Pixel motion photos: the `.MP` half, `.MP.jpg`, and `.MP~2.jpg` copies share `….MP.jpg` sidecars. */
function motionPhotoNames(name: string): string[] {
  const names: string[] = [];
  if (/\.(mp|mv)$/i.test(name)) names.push(`${name}.jpg`, `${name}.JPG`);
  const tilde = /^(.*\.MP)~\d+(\.jpe?g)$/i.exec(name);
  if (tilde) names.push(tilde[1] + tilde[2]);
  const jpg = /^(.*\.MP)\.jpe?g$/i.exec(name);
  if (jpg) names.push(jpg[1]);
  return names;
}

/** iPhone live photos: the video half without its own sidecar shares the still's (same stem and counter). */
function shareWithLivePhotoHalves(mediaNames: readonly string[], found: Map<string, SidecarMatch>, families: Map<string, string>): void {
  const stills = new Map<string, string>();
  for (const name of mediaNames) {
    const match = found.get(name);
    if (!match?.sidecar || isVideoName(name)) continue;
    const { stem, counter } = parseMediaName(name);
    stills.set(keyOf(stem, counter), name);
  }
  for (const name of mediaNames) {
    if (found.get(name)?.sidecar || !isVideoName(name)) continue;
    const { stem, counter } = parseMediaName(name);
    const still = stills.get(keyOf(stem, counter));
    if (still === undefined) continue;
    found.set(name, { kind: 'fallback', rule: 'live-photo', sidecar: found.get(still)!.sidecar });
    families.set(name, families.get(still)!);
  }
}

/**
 * A sidecar may serve several files of one photo (original, edited copy, live-photo video), never
 * two different photos. When fallbacks from different photos claim it, an exact claimant keeps it;
 * otherwise the JSON's title may pick one; otherwise nobody gets it.
 */
function settleAmbiguousClaims(found: Map<string, SidecarMatch>, families: ReadonlyMap<string, string>, index: SidecarIndex): void {
  const familyOf = (name: string) => families.get(name)!;
  const claims = new Map<string, string[]>();
  for (const [name, match] of found) {
    if (!match.sidecar) continue;
    const list = claims.get(match.sidecar);
    if (list) list.push(name);
    else claims.set(match.sidecar, [name]);
  }
  for (const [sidecar, claimants] of claims) {
    const families = new Set(claimants.map(familyOf));
    if (families.size < 2) continue;
    const exact = claimants.find((n) => found.get(n)?.kind === 'exact');
    const title = index.titles.get(sidecar);
    const byTitle = title ? claimants.filter((n) => fitsTitle(n, title)) : [];
    const keeperFamily = exact ? familyOf(exact) : new Set(byTitle.map(familyOf)).size === 1 ? familyOf(byTitle[0]) : undefined;
    for (const name of claimants) {
      if (keeperFamily !== undefined && familyOf(name) === keeperFamily) continue;
      const others = claimants.filter((n) => n !== name).join(', ');
      found.set(name, { kind: 'none', rule: 'none', note: `${sidecar} fits this file and ${others}; left unmatched rather than risk a wrong one` });
    }
  }
}

/** The title is the name as uploaded; the file in the archive is that name, possibly cut to 47. */
function fitsTitle(name: string, title: string): boolean {
  const file = parseMediaName(name);
  const original = parseMediaName(title);
  const stem = stripEditedSuffix(file.stem) ?? file.stem;
  return original.stem === stem || (stem.length >= SIDECAR_BASE_CAP && original.stem.startsWith(stem));
}
