import jsonMask from 'json-mask';
import { ApiError, type Reply } from './http';
import type { DiscoveryDocument } from './validate';

/**
 * The `fields` system parameter (discovery: "Selector specifying which fields to include in a partial
 * response"): Google's partial-response syntax — `a,b`, `a/b` (or `a.b`), `a(b,c)`, `*` — checked
 * against the method's response schema, then applied with json-mask's filter (made for this syntax).
 * json-mask's own compiler is too lenient for an emulator ("a,,b" drops b, "a(b" passes) and lets a
 * repeated field override the earlier one ("a/b,a/c" keeps only c): the tree is built here instead.
 */
type Selection = { type: 'object'; isWildcard?: true; properties?: FieldMask };
export type FieldMask = Record<string, Selection>;

/** Google's wording for a bad selection (Drive's fields guide: "Invalid field selection canAddChildren"). */
function invalidSelection(what: string): ApiError {
  return new ApiError(400, 'INVALID_ARGUMENT', `Invalid field selection ${what}`);
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$|^\*$/;

/** Adds a selection, merging with one already there: selecting a whole field wins over parts of it. */
function merge(into: FieldMask, name: string, sel: Selection): void {
  const old = into[name];
  if (!old) into[name] = sel;
  else if (!old.properties || !sel.properties) delete old.properties;
  else for (const [k, v] of Object.entries(sel.properties)) merge(old.properties, k, v);
}

/** Grammar: list := path (',' path)* ; path := name ('/' name)* ['(' list ')']. */
function parse(text: string): FieldMask {
  let at = 0;
  const list = (depth: number): FieldMask => {
    const out: FieldMask = {};
    for (;;) {
      path(out, depth);
      if (text[at] !== ',') return out;
      at++;
    }
  };
  const path = (into: FieldMask, depth: number): void => {
    const names: string[] = [];
    for (;;) {
      const start = at;
      while (at < text.length && !',/()'.includes(text[at])) at++;
      const name = text.slice(start, at);
      if (!NAME.test(name)) throw invalidSelection(name === '' ? `(empty name at position ${start})` : name);
      names.push(name);
      if (text[at] !== '/') break;
      at++;
    }
    let sub: FieldMask | undefined;
    if (text[at] === '(') {
      at++;
      sub = list(depth + 1);
      if (text[at] !== ')') throw invalidSelection(`(missing ")" at position ${at})`);
      at++;
    }
    if (depth === 0 && text[at] === ')') throw invalidSelection(`(unexpected ")" at position ${at})`);
    // a/b/c(d) is a → b → c → (d): build it from the inside out.
    let sel: Selection = selection(names[names.length - 1], sub);
    for (let i = names.length - 2; i >= 0; i--) sel = selection(names[i], { [names[i + 1]]: sel });
    merge(into, names[0], sel);
  };
  const mask = list(0);
  if (at !== text.length) throw invalidSelection(`(unexpected "${text[at]}" at position ${at})`);
  return mask;
}

function selection(name: string, properties: FieldMask | undefined): Selection {
  return { type: 'object', ...(name === '*' ? { isWildcard: true as const } : {}), ...(properties ? { properties } : {}) };
}

/** Every selected name must be a field of the response schema, and only messages have sub-fields. */
function checkNames(doc: DiscoveryDocument, schemaName: string, mask: FieldMask, prefix: string): void {
  const properties = doc.schemas[schemaName]?.properties ?? {};
  for (const [name, selection] of Object.entries(mask)) {
    if (selection.isWildcard) continue;
    const field = properties[name];
    if (!field) throw invalidSelection(`${prefix}${name}`);
    if (!selection.properties) continue;
    const ref = field.$ref ?? field.items?.$ref;
    if (!ref) throw invalidSelection(`${prefix}${name}: it has no sub-fields`);
    checkNames(doc, ref, selection.properties, `${prefix}${name}/`);
  }
}

/** Parses `fields` for a method that answers `responseSchema`; undefined when no mask was asked for. */
export function compileFields(doc: DiscoveryDocument, responseSchema: string | undefined, fields: string | null): FieldMask | undefined {
  if (fields === null || fields === '') return undefined;
  const mask = parse(fields.replace(/\./g, '/'));
  if (responseSchema) checkNames(doc, responseSchema, mask, '');
  return mask;
}

/** Applies the mask to a successful JSON answer; errors and non-JSON bodies pass untouched. */
export function applyFields(reply: Reply, mask: FieldMask | undefined): Reply {
  if (!mask || reply.status !== 200 || typeof reply.body !== 'object' || reply.body === null || Buffer.isBuffer(reply.body)) return reply;
  // @types/json-mask declares isWildcard/properties as always present; json-mask itself treats them as optional.
  return { ...reply, body: jsonMask.filter(reply.body, mask as Parameters<typeof jsonMask.filter>[1]) ?? {} };
}
