import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApiError } from './http';

/** The subset of a Google discovery document the validator reads. */
export interface DiscoveryParameter {
  type: string;
  format?: string;
  location: 'query' | 'path';
  repeated?: boolean;
  required?: boolean;
  enum?: string[];
}

export interface DiscoveryMethod {
  id: string;
  httpMethod: string;
  flatPath: string;
  path: string;
  parameters?: Record<string, DiscoveryParameter>;
  request?: { $ref: string };
  response?: { $ref: string };
}

export interface DiscoverySchemaProperty {
  type?: string;
  format?: string;
  $ref?: string;
  items?: DiscoverySchemaProperty;
  enum?: string[];
  readOnly?: boolean;
  additionalProperties?: DiscoverySchemaProperty;
}

export interface DiscoveryDocument {
  parameters: Record<string, DiscoveryParameter>;
  resources: Record<string, { methods: Record<string, DiscoveryMethod> }>;
  schemas: Record<string, { id: string; type: string; properties?: Record<string, DiscoverySchemaProperty> }>;
}

function load(file: string): DiscoveryDocument {
  return JSON.parse(readFileSync(path.join(__dirname, 'discovery', file), 'utf8')) as DiscoveryDocument;
}

export const LIBRARY_DISCOVERY = load('photoslibrary.v1.json');
/** The reconstructed Picker document lacks the standard query parameters every Google API takes: borrow them. */
export const PICKER_DISCOVERY: DiscoveryDocument = { ...load('photospicker.v1.reconstructed.json'), parameters: LIBRARY_DISCOVERY.parameters };

export interface BoundMethod {
  /** "albums.create" */
  name: string;
  method: DiscoveryMethod;
  pattern: RegExp;
  pathParamNames: string[];
}

/** Every method of a discovery document with a matcher for its flatPath ("v1/albums/{albumsId}:share"). */
export function bindMethods(doc: DiscoveryDocument): BoundMethod[] {
  const out: BoundMethod[] = [];
  for (const [resource, { methods }] of Object.entries(doc.resources)) {
    for (const [name, method] of Object.entries(methods)) {
      const pathParamNames = Object.entries(method.parameters ?? {})
        .filter(([, p]) => p.location === 'path')
        .map(([n]) => n);
      const source = method.flatPath.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '([^/:]+)');
      out.push({ name: `${resource}.${name}`, method, pattern: new RegExp(`^/${source}$`), pathParamNames });
    }
  }
  return out;
}

export function matchMethod(bound: BoundMethod[], httpMethod: string, path: string): { bound: BoundMethod; pathParams: Record<string, string> } | undefined {
  for (const b of bound) {
    if (b.method.httpMethod !== httpMethod) continue;
    const m = b.pattern.exec(path);
    if (!m) continue;
    const pathParams: Record<string, string> = {};
    b.pathParamNames.forEach((n, i) => (pathParams[n] = decodeURIComponent(m[i + 1])));
    return { bound: b, pathParams };
  }
  return undefined;
}

const snake = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function badRequest(message: string, field?: string): ApiError {
  return new ApiError(400, 'INVALID_ARGUMENT', message, [
    { '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ ...(field ? { field } : {}), description: message }] },
  ]);
}

function protoType(p: { type?: string; format?: string }): string {
  if (p.type === 'integer') return p.format === 'uint32' ? 'TYPE_UINT32' : 'TYPE_INT32';
  if (p.type === 'string' && p.format === 'int64') return 'TYPE_INT64';
  if (p.type === 'number') return p.format === 'float' ? 'TYPE_FLOAT' : 'TYPE_DOUBLE';
  if (p.type === 'boolean') return 'TYPE_BOOL';
  return 'TYPE_STRING';
}

/** Query parameters as Google's front end binds them: unknown names and unparsable values are 400s. */
export function validateQuery(doc: DiscoveryDocument, method: DiscoveryMethod, query: URLSearchParams): void {
  for (const name of new Set(query.keys())) {
    const param = method.parameters?.[name];
    const global = doc.parameters[name];
    if (!param && !global) {
      throw badRequest(`Invalid JSON payload received. Unknown name "${name}": Cannot bind query parameter. Field '${name}' could not be found in request message.`);
    }
    if (param?.location === 'path') {
      throw badRequest(`Invalid JSON payload received. Unknown name "${name}": Cannot bind query parameter. Field '${name}' could not be found in request message.`);
    }
    const spec = param ?? global;
    const values = query.getAll(name);
    if (values.length > 1 && !spec.repeated) throw badRequest(`Invalid JSON payload received. Repeated values for field '${name}' are not allowed.`);
    for (const v of values) {
      const bad =
        (spec.type === 'integer' && !/^-?\d+$/.test(v)) ||
        (spec.type === 'boolean' && v !== 'true' && v !== 'false') ||
        (spec.enum !== undefined && !spec.enum.includes(v));
      if (bad) throw badRequest(`Invalid value at '${snake(name)}' (${protoType(spec)}), "${v}"`, snake(name));
    }
  }
}

/** A JSON body against a discovery schema: unknown names and wrongly typed values are 400s, as Google does. */
export function validateBody(doc: DiscoveryDocument, schemaName: string, body: unknown): void {
  validateObject(doc, schemaName, body, '');
}

function at(path: string): string {
  return path === '' ? '' : ` at '${path}'`;
}

function validateObject(doc: DiscoveryDocument, schemaName: string, value: unknown, path: string): void {
  const schema = doc.schemas[schemaName];
  if (!schema) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badRequest(`Invalid JSON payload received. Expected an object${at(path)}.`, path || undefined);
  }
  for (const [key, v] of Object.entries(value)) {
    const prop = schema.properties?.[key];
    if (!prop) throw badRequest(`Invalid JSON payload received. Unknown name "${key}"${at(path)}: Cannot find field.`, path || undefined);
    validateValue(doc, prop, v, path === '' ? snake(key) : `${path}.${snake(key)}`);
  }
}

function validateValue(doc: DiscoveryDocument, prop: DiscoverySchemaProperty, v: unknown, path: string): void {
  if (v === null) return;
  if (prop.$ref) return validateObject(doc, prop.$ref, v, path);
  const invalid = (): ApiError => badRequest(`Invalid value at '${path}' (${prop.enum ? 'enum' : protoType(prop)}), ${JSON.stringify(v)}`, path);
  switch (prop.type) {
    case 'array':
      if (!Array.isArray(v)) throw badRequest(`Invalid JSON payload received. Proto field is not repeating, cannot start list.${at(path)}`, path);
      v.forEach((item, i) => validateValue(doc, prop.items ?? {}, item, `${path}[${i}]`));
      return;
    case 'object':
      if (typeof v !== 'object' || Array.isArray(v)) throw invalid();
      return;
    case 'boolean':
      if (typeof v !== 'boolean') throw invalid();
      return;
    case 'integer':
      if (!(typeof v === 'number' && Number.isInteger(v)) && !(typeof v === 'string' && /^-?\d+$/.test(v))) throw invalid();
      return;
    case 'number':
      if (typeof v !== 'number' && !(typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)))) throw invalid();
      return;
    case 'string':
      if (prop.format === 'int64' || prop.format === 'uint64') {
        if (!(typeof v === 'number' && Number.isInteger(v)) && !(typeof v === 'string' && /^-?\d+$/.test(v))) throw invalid();
        return;
      }
      if (typeof v !== 'string') throw invalid();
      if (prop.enum && !prop.enum.includes(v)) throw invalid();
      return;
    default:
      return;
  }
}
