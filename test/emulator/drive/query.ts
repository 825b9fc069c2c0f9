import type { DriveCaller } from './access';
import { invalidValue } from './errors';
import { parseQuery, type QueryExpr } from './grammar';
import { FOLDER_MIME, type DriveFileRecord } from './state';

type Predicate = (file: DriveFileRecord) => boolean;

/** The message Drive gives for any q it cannot run, plus what the emulator did not understand. */
function badQuery(detail: string): never {
  throw invalidValue('q', `Invalid Value (${detail})`);
}

const STRING_OPS = new Set(['=', '!=', 'contains']);
const BOOL_OPS = new Set(['=', '!=']);
const TIME_OPS = new Set(['=', '!=', '<', '<=', '>', '>=']);

/** "name contains" matches prefixes of the words in the name, ignoring case (ref-search-terms). */
function wordPrefix(name: string, value: string): boolean {
  const needle = value.toLowerCase();
  return name.toLowerCase().startsWith(needle) || name.toLowerCase().split(/[\s._-]+/).some((w) => w.startsWith(needle));
}

/** RFC 3339 in q; without an offset Drive reads it as UTC. */
function parseTime(value: string): number {
  const withZone = /([zZ]|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}Z`;
  const ms = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?/.test(value) ? Date.parse(withZone) : NaN;
  if (Number.isNaN(ms)) badQuery(`'${value}' is not an RFC 3339 time`);
  return ms;
}

function compare(op: string, a: number | string | boolean, b: number | string | boolean): boolean {
  switch (op) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    default:
      return a >= b;
  }
}

function term(caller: DriveCaller, expr: Extract<QueryExpr, { type: 'cmp' }>): Predicate {
  const { field, op, value } = expr;
  const text = (get: (f: DriveFileRecord) => string): Predicate => {
    if (!STRING_OPS.has(op) || typeof value !== 'string') badQuery(`${field} ${op} needs a quoted string and =, != or contains`);
    if (op === 'contains') return (f) => (field === 'name' ? wordPrefix(get(f), value) : get(f).includes(value));
    return (f) => compare(op, get(f), value);
  };
  const flag = (get: (f: DriveFileRecord) => boolean): Predicate => {
    if (!BOOL_OPS.has(op) || typeof value !== 'boolean') badQuery(`${field} takes = or != with true or false`);
    return (f) => compare(op, get(f), value);
  };
  const time = (get: (f: DriveFileRecord) => number): Predicate => {
    if (!TIME_OPS.has(op) || typeof value !== 'string') badQuery(`${field} needs a comparison with a quoted RFC 3339 time`);
    const at = parseTime(value);
    return (f) => compare(op, get(f), at);
  };
  switch (field) {
    case 'name':
      return text((f) => f.name);
    case 'mimeType':
      return text((f) => f.mimeType);
    case 'trashed':
      return flag((f) => caller.drive.isTrashed(f));
    case 'starred':
      return flag((f) => f.starred);
    case 'createdTime':
      return time((f) => f.createdTime);
    case 'modifiedTime':
      return time((f) => f.modifiedTime);
    default:
      return badQuery(`the Drive emulator does not support the query term "${field}"`);
  }
}

function compile(caller: DriveCaller, expr: QueryExpr): Predicate {
  switch (expr.type) {
    case 'and': {
      const [l, r] = [compile(caller, expr.left), compile(caller, expr.right)];
      return (f) => l(f) && r(f);
    }
    case 'or': {
      const [l, r] = [compile(caller, expr.left), compile(caller, expr.right)];
      return (f) => l(f) || r(f);
    }
    case 'not': {
      const inner = compile(caller, expr.expr);
      return (f) => !inner(f);
    }
    case 'in': {
      if (expr.field !== 'parents') badQuery(`the Drive emulator does not support "in ${expr.field}"`);
      const id = expr.value === 'root' ? caller.drive.rootOf(caller.userSub) : expr.value;
      return (f) => f.parents.includes(id);
    }
    case 'has': {
      const { key, value } = expr;
      if (expr.field === 'appProperties') return (f) => f.appProperties.get(caller.app.projectNumber)?.[key] === value;
      return (f) => f.properties[key] === value;
    }
    default:
      return term(caller, expr);
  }
}

/** Compiles q into a predicate; a syntax error or an unsupported term is Drive's 400 "Invalid Value" on q. */
export function queryPredicate(caller: DriveCaller, q: string | null): Predicate {
  if (q === null || q.trim() === '') return () => true;
  let expr: QueryExpr;
  try {
    expr = parseQuery(q);
  } catch (e) {
    return badQuery(e instanceof Error ? e.message : 'syntax error');
  }
  return compile(caller, expr);
}

type Comparator = (a: DriveFileRecord, b: DriveFileRecord) => number;

const ORDER_KEYS: Record<string, (caller: DriveCaller) => Comparator> = {
  name: () => (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  name_natural: () => (a, b) => a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' }),
  createdTime: () => (a, b) => a.createdTime - b.createdTime,
  modifiedTime: () => (a, b) => a.modifiedTime - b.modifiedTime,
  modifiedByMeTime: () => (a, b) => a.modifiedTime - b.modifiedTime,
  folder: () => (a, b) => Number(b.mimeType === FOLDER_MIME) - Number(a.mimeType === FOLDER_MIME),
  quotaBytesUsed: (caller) => (a, b) => caller.drive.sizeOf(a) - caller.drive.sizeOf(b),
  starred: () => (a, b) => Number(b.starred) - Number(a.starred),
};

/** orderBy "folder,name desc,…" (files.list); without it the emulator lists in creation order. */
export function orderComparator(caller: DriveCaller, orderBy: string | null): Comparator {
  const parts = (orderBy ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      const [key, dir, extra] = p.split(/\s+/);
      const make = ORDER_KEYS[key];
      if (!make || extra !== undefined || (dir !== undefined && dir.toLowerCase() !== 'desc' && dir.toLowerCase() !== 'asc')) {
        throw invalidValue('orderBy', `Invalid Value (orderBy key "${p}" is not supported)`);
      }
      const cmp = make(caller);
      return dir?.toLowerCase() === 'desc' ? (a: DriveFileRecord, b: DriveFileRecord) => cmp(b, a) : cmp;
    });
  return (a, b) => {
    for (const cmp of parts) {
      const r = cmp(a, b);
      if (r !== 0) return r;
    }
    return a.createdTime - b.createdTime;
  };
}
