import peggy from 'peggy';

/** A parsed `q` (https://developers.google.com/drive/api/guides/ref-search-terms). */
export type QueryExpr =
  | { type: 'and' | 'or'; left: QueryExpr; right: QueryExpr }
  | { type: 'not'; expr: QueryExpr }
  | { type: 'cmp'; field: string; op: string; value: string | boolean }
  | { type: 'in'; value: string; field: string }
  | { type: 'has'; field: string; key: string; value: string };

/** A parsed `fields` selector: name → sub-selection, or null for "all of it". */
export type FieldTree = Map<string, FieldTree | null>;

// Drive's query language: terms joined by and/or/not with parentheses; strings in single quotes
// with \' and \\ escapes (search-files guide). Precedence: not > and > or.
const QUERY = `
Query = _ e:Or _ { return e; }
Or = head:And tail:(__ "or"i __ e:And { return e; })* { return tail.reduce((left, right) => ({ type: 'or', left, right }), head); }
And = head:Not tail:(__ "and"i __ e:Not { return e; })* { return tail.reduce((left, right) => ({ type: 'and', left, right }), head); }
Not = "not"i (__ / &"(") e:Not { return { type: 'not', expr: e }; } / Primary
Primary = "(" _ e:Or _ ")" { return e; } / Has / In / Cmp
Has = field:("appProperties" / "properties") __ "has"i _ "{" _ "key" _ "=" _ key:String __ "and"i __ "value" _ "=" _ value:String _ "}" { return { type: 'has', field, key, value }; }
In = value:String __ "in"i __ field:Ident { return { type: 'in', value, field }; }
Cmp = field:Ident _ op:("!=" / "<=" / ">=" / "=" / "<" / ">" / c:"contains"i __ { return 'contains'; }) _ value:Value { return { type: 'cmp', field, op, value }; }
Value = String / "true" !Word { return true; } / "false" !Word { return false; }
String = "'" chars:(("\\\\" c:[\\\\'] { return c; }) / [^'\\\\])* "'" { return chars.join(''); }
Ident = $([a-zA-Z] Word*)
Word = [a-zA-Z0-9_]
_ = [ \\t\\r\\n]*
__ = [ \\t\\r\\n]+
`;

// Google's partial-response syntax: "a,b/c,d(e,f)" with optional spaces after commas.
const FIELDS = `
Fields = _ head:Field tail:(_ "," _ f:Field { return f; })* _ { return [head, ...tail]; }
Field = name:Name sub:("/" f:Field { return [f]; } / _ "(" list:Fields ")" { return list; })? { return { name, sub: sub ?? null }; }
Name = $("*" / [A-Za-z_$] [A-Za-z0-9_$.-]*)
_ = [ \\t\\r\\n]*
`;

const queryParser = peggy.generate(QUERY);
const fieldsParser = peggy.generate(FIELDS);

/** Parses q; throws peggy's SyntaxError on anything outside the grammar. */
export function parseQuery(q: string): QueryExpr {
  return queryParser.parse(q) as QueryExpr;
}

interface RawField {
  name: string;
  sub: RawField[] | null;
}

function toTree(list: RawField[], into: FieldTree = new Map()): FieldTree {
  for (const { name, sub } of list) {
    const existing = into.get(name);
    if (sub === null || existing === null) into.set(name, null);
    else into.set(name, toTree(sub, existing ?? new Map()));
  }
  return into;
}

/** Parses a fields selector into a tree; repeated names merge ("files(id),files(name)"). */
export function parseFields(fields: string): FieldTree {
  return toTree(fieldsParser.parse(fields) as RawField[]);
}
