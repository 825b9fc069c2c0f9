// The webview's words in the user's language (VS Code's documented way for webviews): the host
// embeds `vscode.l10n.bundle` in the page (panelHtml.ts, data-l10n on #app; absent in English) and
// @vscode/l10n reads it before any view calls l10n.t. Imported first by main.ts.
import * as l10n from '@vscode/l10n';

const bundle = document.getElementById('app')?.dataset.l10n;
if (bundle) {
  try {
    l10n.config({ contents: JSON.parse(bundle) as Record<string, string> });
  } catch (e) {
    console.error('Photo Sync preview: the translation bundle could not be read', e);
  }
}

/** A CSS string literal (for `content:` through a custom property). */
export function cssString(text: string): string {
  return `"${text.replace(/["\\\n]/g, (c) => (c === '\n' ? '\\A ' : `\\${c}`))}"`;
}

// Words the stylesheet draws (::before / ::after content) come from the bundle too; styles.css
// falls back to the English when a property is missing. CSSOM writes are allowed by the page's CSP.
const style = document.documentElement.style;
style.setProperty('--photo-sync-no-preview', cssString(l10n.t('No preview')));
style.setProperty('--photo-sync-deleted', cssString(l10n.t('Deleted')));
style.setProperty('--photo-sync-date-flag', cssString(l10n.t('date?')));
