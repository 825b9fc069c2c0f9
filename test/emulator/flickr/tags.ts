import { FlickrError } from './format';
import type { TagRecord } from './state';

const MACHINE = /^([a-z_][a-z0-9_]*):([a-z_][a-z0-9_]*)=(.+)$/i;

/** Flickr's normalised tag: lower case, letters and digits only; machine tags keep `ns:pred=value`. */
export function toTag(raw: string): TagRecord {
  const m = MACHINE.exec(raw);
  if (m) return { raw, tag: `${m[1]}:${m[2]}=${m[3]}`.toLowerCase(), machine: true };
  return { raw, tag: raw.toLowerCase().replace(/[^\p{L}\p{N}]/gu, ''), machine: false };
}

/** The `tags` argument of upload and setTags: space-separated, "double quotes" around multi-word tags. */
export function parseTags(value: string | undefined): TagRecord[] {
  const out: TagRecord[] = [];
  for (const m of (value ?? '').matchAll(/"([^"]*)"|(\S+)/g)) {
    const raw = (m[1] ?? m[2] ?? '').trim();
    if (raw === '') continue;
    const tag = toTag(raw);
    if (tag.tag !== '' && !out.some((t) => t.tag === tag.tag)) out.push(tag);
  }
  return out;
}

interface MachineQuery {
  ns: string;
  pred?: string;
  value?: string;
}

/**
 * One `machine_tags` search term (flickr.photos.search): "ns:", "ns:pred=", "ns:pred=value",
 * `*` wildcards for namespace or predicate, and "quoted values".
 */
function parseMachineQuery(term: string): MachineQuery | undefined {
  const m = /^([a-z_][a-z0-9_]*|\*):(?:([a-z_][a-z0-9_]*|\*)(?:=(.*))?)?$/i.exec(term.trim());
  if (!m) return undefined;
  let value = m[3];
  if (value !== undefined && /^".*"$/.test(value)) value = value.slice(1, -1);
  return { ns: m[1].toLowerCase(), pred: m[2]?.toLowerCase(), value: value === '' ? undefined : value?.toLowerCase() };
}

function matchesOne(q: MachineQuery, tags: TagRecord[]): boolean {
  return tags.some((t) => {
    if (!t.machine) return false;
    const m = MACHINE.exec(t.tag);
    if (!m) return false;
    return (q.ns === '*' || q.ns === m[1]) && (q.pred === undefined || q.pred === '*' || q.pred === m[2]) && (q.value === undefined || q.value === m[3]);
  });
}

/** A predicate for `machine_tags` + `machine_tag_mode`, with Flickr's errors 11 and 12. */
export function machineTagFilter(value: string, mode: string | undefined): (tags: TagRecord[]) => boolean {
  const all = mode === 'all';
  const queries = value.split(',').map(parseMachineQuery).filter((q): q is MachineQuery => q !== undefined);
  if (queries.length === 0) throw new FlickrError(11, 'No valid machine tags');
  if (queries.length > (all ? 16 : 8)) throw new FlickrError(12, 'Exceeded maximum allowable machine tags');
  return (tags) => (all ? queries.every((q) => matchesOne(q, tags)) : queries.some((q) => matchesOne(q, tags)));
}

/** A predicate for plain `tags` + `tag_mode`: comma-separated, "-tag" excludes. */
export function tagFilter(value: string, mode: string | undefined): (tags: TagRecord[]) => boolean {
  const terms = value.split(',').map((t) => t.trim()).filter(Boolean);
  const include = terms.filter((t) => !t.startsWith('-')).map((t) => toTag(t).tag);
  const exclude = terms.filter((t) => t.startsWith('-')).map((t) => toTag(t.slice(1)).tag);
  return (tags) => {
    const have = new Set(tags.map((t) => t.tag));
    if (exclude.some((t) => have.has(t))) return false;
    if (include.length === 0) return true;
    return mode === 'all' ? include.every((t) => have.has(t)) : include.some((t) => have.has(t));
  };
}
