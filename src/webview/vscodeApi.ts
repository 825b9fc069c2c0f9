// What VS Code injects into a webview (acquireVsCodeApi), and the state we keep across reloads.
import type { ReviewAction } from './protocol';

export interface SavedState {
  grid?: { scrollTop: number; focus: number; filter: string };
  review?: { scrollTop: number; actions: ReviewAction[]; search: string };
}

export interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): SavedState | undefined;
  setState(state: SavedState): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

/** May be called only once per page (VS Code's rule). */
export function getVsCodeApi(): VsCodeApi {
  return acquireVsCodeApi();
}

/** Merges into the saved state (setState replaces the whole object). */
export function saveState(api: VsCodeApi, patch: SavedState): void {
  api.setState({ ...(api.getState() ?? {}), ...patch });
}
