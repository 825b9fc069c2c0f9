import { redactSecrets } from './redact';

/** The log surface every module receives. VS Code's LogOutputChannel satisfies it. */
export interface Logger {
  trace(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string | Error, ...args: unknown[]): void;
}

export const nullLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Wraps a logger so nothing that looks like a token or client secret reaches it. */
export function redactingLogger(inner: Logger): Logger {
  const clean = (args: unknown[]) => args.map((a) => redactSecrets(a instanceof Error ? a.message : typeof a === 'string' ? a : safeJson(a)));
  return {
    trace: (m, ...a) => inner.trace(redactSecrets(m), ...clean(a)),
    debug: (m, ...a) => inner.debug(redactSecrets(m), ...clean(a)),
    info: (m, ...a) => inner.info(redactSecrets(m), ...clean(a)),
    warn: (m, ...a) => inner.warn(redactSecrets(m), ...clean(a)),
    error: (m, ...a) => inner.error(redactSecrets(m instanceof Error ? (m.stack ?? m.message) : m), ...clean(a)),
  };
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
