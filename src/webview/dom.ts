// Tiny DOM helpers for the webview (no framework: the bundle stays small).

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Sets text only when it changed: recycled cells are re-rendered often. */
export function setText(node: HTMLElement, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

export function setTitle(node: HTMLElement, title: string | undefined): void {
  if (title) {
    if (node.title !== title) node.title = title;
  } else if (node.hasAttribute('title')) node.removeAttribute('title');
}

// Counts in the page's language (its <html lang>, VS Code's display language; English without one).
let counts: Intl.NumberFormat | undefined;
export const formatCount = (n: number): string => {
  if (!counts) {
    const lang = typeof document === 'undefined' ? '' : document.documentElement.lang;
    try {
      counts = new Intl.NumberFormat(lang || 'en-US');
    } catch {
      counts = new Intl.NumberFormat('en-US');
    }
  }
  return counts.format(n);
};

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/** Calls `fn` once, `ms` after the last call. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): (...args: A) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

/** A performance mark the first time only (the first screen's timing, read by the e2e test). */
export function markOnce(name: string): void {
  if (performance.getEntriesByName(name, 'mark').length === 0) performance.mark(name);
}
