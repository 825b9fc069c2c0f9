import { DRIVE_DISCOVERY, type DriveSchemaProperty } from './discovery';
import { invalidParameter } from './errors';
import { parseFields, type FieldTree } from './grammar';

/** What Drive v3 answers when the request names no `fields`. */
export const DEFAULT_FIELDS: Record<string, string> = {
  File: 'kind,id,name,mimeType',
  FileList: 'kind,incompleteSearch,nextPageToken,files(kind,id,name,mimeType)',
  ChangeList: 'kind,nextPageToken,newStartPageToken,changes(kind,type,changeType,time,removed,fileId,file(kind,id,name,mimeType))',
  GeneratedIds: '*',
  StartPageToken: '*',
};

function invalidSelection(name: string): never {
  throw invalidParameter('fields', `Invalid field selection ${name}`);
}

/** Resolves a property to the object schema below it (through $ref and array items), or undefined for scalars. */
function below(prop: DriveSchemaProperty): { properties?: Record<string, DriveSchemaProperty>; map: boolean } | undefined {
  const target = prop.items ?? prop;
  if (target.$ref) return { properties: DRIVE_DISCOVERY.schemas[target.$ref]?.properties, map: false };
  if (target.properties) return { properties: target.properties, map: false };
  if (target.additionalProperties || target.type === 'object') return { map: true };
  return undefined;
}

/** Google refuses a selector that names a field the response type does not have. */
function validate(tree: FieldTree, properties: Record<string, DriveSchemaProperty> | undefined): void {
  for (const [name, sub] of tree) {
    if (name === '*') continue;
    const prop = properties?.[name];
    if (!prop) invalidSelection(name);
    if (sub === null) continue;
    const next = below(prop);
    if (!next) invalidSelection(`${name}/${[...sub.keys()][0]}`);
    if (!next.map) validate(sub, next.properties);
  }
}

function apply(value: unknown, tree: FieldTree | null): unknown {
  if (tree === null || tree.has('*')) return value;
  if (Array.isArray(value)) return value.map((v) => apply(v, tree));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [name, sub] of tree) {
    const v = (value as Record<string, unknown>)[name];
    if (v !== undefined) out[name] = apply(v, sub);
  }
  return out;
}

/** Partial response: keeps what `fields` names (Drive's defaults when absent), after checking it against the schema. */
export function selectFields(full: Record<string, unknown>, schema: string, fields: string | null): Record<string, unknown> {
  const selector = fields === null || fields.trim() === '' ? DEFAULT_FIELDS[schema] ?? '*' : fields;
  let tree: FieldTree;
  try {
    tree = parseFields(selector);
  } catch {
    throw invalidParameter('fields', `Invalid field selection ${selector}`);
  }
  validate(tree, DRIVE_DISCOVERY.schemas[schema]?.properties);
  return apply(full, tree) as Record<string, unknown>;
}
