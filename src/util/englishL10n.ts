// vscode.l10n.t's English behaviour for code that runs without VS Code (the command line): the
// message itself with `{0}` / `{name}` filled in, other braces left as they are.
import type * as vscode from 'vscode';

type Arg = string | number | boolean;

function format(message: string, args: readonly Arg[] | Record<string, unknown>): string {
  return message.replace(/\{([^{}]+)\}/g, (whole, key: string) => {
    const value = Array.isArray(args) ? args[Number(key)] : (args as Record<string, unknown>)[key];
    return value === undefined ? whole : String(value);
  });
}

function t(...params: unknown[]): string {
  const [first, ...rest] = params;
  if (typeof first === 'object' && first !== null) {
    const options = first as { message: string; args?: Arg[] | Record<string, unknown> };
    return format(options.message, options.args ?? []);
  }
  const args = rest.length === 1 && typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as Record<string, unknown>) : (rest as Arg[]);
  return format(String(first), args);
}

export const englishL10n = { t } as unknown as Pick<typeof vscode.l10n, 't'>;
