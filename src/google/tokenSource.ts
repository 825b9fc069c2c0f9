/**
 * How the Google clients get an access token. In the extension it is backed by
 * `vscode.authentication.getSession('photoSync.google', scopes, …)`; in tests by the emulator.
 */
export interface TokenSource {
  /** An access token carrying at least `scopes`. */
  getAccessToken(scopes: readonly string[], signal?: AbortSignal): Promise<string>;
  /** The server rejected `token` (401): the next getAccessToken must not return it again. */
  invalidate?(token: string): void;
}
