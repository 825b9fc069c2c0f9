// The command line's exit codes (documented in --help and the README) and the error that carries one.
import { toAuthError, type AuthErrorKind } from '../auth/authError';

export const EXIT = {
  /** Everything done. */
  ok: 0,
  /** Some files failed (listed), or a sync folder was missing. */
  failed: 1,
  /** Usage or configuration error: bad arguments, config file, folder, no OAuth client. */
  usage: 2,
  /** Stopped by the daily quota: the next run continues. */
  quota: 3,
  /** Sign-in needed: not signed in, access revoked, the 7-day grant of an app in Testing expired. */
  signIn: 4,
  /** Cancelled (Ctrl-C, SIGINT or SIGTERM): the next run resumes. */
  cancelled: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0    everything done
  1    some files failed (they are listed), or a sync folder was missing
  2    usage or configuration error (arguments, config file, folder, no OAuth client set up)
  3    stopped by Google's daily quota; the next run continues where this one stopped
  4    sign-in needed (not signed in, access revoked, 7-day grant of an app in Testing expired)
  130  cancelled (Ctrl-C, SIGINT or SIGTERM); the next run resumes`;

/** A failure that ends the command with `code` and a one-line message saying what to do. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    readonly code: ExitCode,
    message: string,
  ) {
    super(message);
  }
}

/** Sign-in problems the user fixes with `photo-sync login`; the others are set-up (configuration) problems. */
const SIGN_IN_KINDS = new Set<AuthErrorKind>(['signedOut', 'invalidGrant', 'insufficientScopes', 'accessDenied', 'stateMismatch', 'timeout']);
const CONFIG_KINDS = new Set<AuthErrorKind>(['noClient', 'invalidClientFile', 'webClient', 'invalidClient', 'redirectUriMismatch', 'serviceDisabled', 'portInUse', 'listenFailed']);

/** The exit code an authorization failure ends a command with, or undefined when it is not one. */
export function exitCodeOfAuth(err: unknown): ExitCode | undefined {
  const auth = toAuthError(err);
  if (!auth) return undefined;
  if (auth.kind === 'cancelled') return EXIT.cancelled;
  if (SIGN_IN_KINDS.has(auth.kind)) return EXIT.signIn;
  if (CONFIG_KINDS.has(auth.kind)) return EXIT.usage;
  return EXIT.failed;
}

/** Exit codes in order of what the user must hear about first. */
const EXIT_SEVERITY: ExitCode[] = [EXIT.cancelled, EXIT.signIn, EXIT.usage, EXIT.quota, EXIT.failed, EXIT.ok];

/** The code of the two that the user must hear about first. */
export function worseExit(a: ExitCode, b: ExitCode): ExitCode {
  return EXIT_SEVERITY.indexOf(a) <= EXIT_SEVERITY.indexOf(b) ? a : b;
}
