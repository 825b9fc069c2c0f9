// Page helpers that drive VS Code the way a person does: keyboard and clicks on what is on screen.
// All take the Playwright page from the harness context (ctx.page) and wait (up to `timeout`, default
// 15 s) for what they look for, failing with a message that says what was on screen instead.
//
//   await openPhotoSync(page)                        click the "Photo Sync" activity-bar item (no-op if shown)
//   await openViewContainer(page, 'Explorer')        the same for any container, by aria-label prefix
//   await runCommand(page, 'Photo Sync: Sign In to Google Photos')   F1, type the title, click it
//   await paletteCommands(page, 'Photo Sync:')       [{ id, label, description }] the palette lists for that text
//   await answerQuickPick(page, 'Import client_secret.json…')        pick an item (exact label, else prefix)
//   await answerInputBox(page, '/path/to/file')      type into the open input box / quick pick / simple file
//                                                    dialog (code-server's open dialog), press Enter
//   await quickInputPrompt(page)                     title, message and placeholder of the open quick input
//   await closeQuickInput(page)                      Escape out of an open palette / quick pick
//   await waitForNotification(page, /Signed in/)     text of the first notification or modal dialog that matches
//                                                    (toasts; after 2 s also the notification center)
//   await clickNotificationButton(page, 'Retry', { on: /failed/ })   click a button on a notification / dialog
//   await notificationTexts(page)                    texts of the notifications on screen now
//   await showNotificationCenter(page)               open the bell's list
//   await treeRows(page, 'Library')            [{ label, description, level, expanded }] of a view's
//                                                    rendered rows (view by its title; default the first pane)
//   await waitForTreeRow(page, /2019/, 'Library')  rows once one matches
//   await welcomeContent(page, 'Library')      { text, buttons } of a view's welcome content
//   await clickWelcomeButton(page, 'Sign In to Google Photos', 'Library')
//   const tab = await waitForNewTab(ctx.browserContext, () => clickWelcomeButton(page, …))
//                                                    the tab the extension opened (env.openExternal: the
//                                                    emulator's consent or picker page), loaded; click in it
//   await explorerContextMenu(page, 'Trip', 'Upload Folder to Google Photos…')   right-click a row, pick an entry
//   await pickContextMenuItem(page, 'Rename…')       pick an entry in an open context menu
//   await waitForWorkbench(page); await waitForPhotoSync(page)   after a page.goto / reload
//
// The extension's log channel is read from disk, not the Output panel: ctx.extensionLog() (harness).
import type { BrowserContext, Locator, Page } from 'playwright-core';

const DEFAULT_TIMEOUT = 15_000;

export interface Wait {
  timeout?: number;
}

export async function waitForWorkbench(page: Page, { timeout = 60_000 }: Wait = {}): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ timeout });
  // The activity bar renders once the workbench has restored its views; extensions' items join it then.
  await page.locator('.part.activitybar').waitFor({ timeout });
}

/** Waits until Photo Sync's contributions are registered (its activity-bar item shows): before that the
 * palette would not list its commands. */
export async function waitForPhotoSync(page: Page, { timeout = 60_000 }: Wait = {}): Promise<void> {
  await activityItem(page, 'Photo Sync').waitFor({ timeout });
}

function activityItem(page: Page, title: string): Locator {
  // aria-label is the title, sometimes followed by a keybinding ("Explorer (Ctrl+Shift+E)").
  return page.locator(`.part.activitybar li.action-item:has(> a.action-label[aria-label^="${cssString(title)}"])`).first();
}

/** Shows the Photo Sync container in the side bar (clicking its activity-bar item unless it is already shown). */
export async function openPhotoSync(page: Page, { timeout = DEFAULT_TIMEOUT }: Wait = {}): Promise<void> {
  await openViewContainer(page, 'Photo Sync', { timeout });
}

export async function openViewContainer(page: Page, title: string, { timeout = DEFAULT_TIMEOUT }: Wait = {}): Promise<void> {
  const item = activityItem(page, title);
  await item.waitFor({ timeout });
  // Clicking the active item would hide the side bar again.
  if ((await item.getAttribute('aria-selected')) !== 'true') await item.click();
  await page.locator(`.part.activitybar li.action-item[aria-selected="true"]:has(> a.action-label[aria-label^="${cssString(title)}"])`).waitFor({ timeout });
}

/** Opens the command palette with F1, types `text` after the ">" and waits for the list to settle. */
async function openPalette(page: Page, text: string, timeout: number): Promise<Locator> {
  const widget = page.locator('.quick-input-widget');
  if (await widget.isVisible()) await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = widget.locator('.quick-input-box input');
  await input.waitFor({ timeout });
  await input.fill(`>${text}`);
  await settleQuickInput(page);
  return widget;
}

/** Waits until the quick input list stops changing (filtering runs asynchronously). */
async function settleQuickInput(page: Page): Promise<void> {
  let previous = '';
  for (let i = 0; i < 20; i++) {
    await page.waitForTimeout(150);
    const current = await page.locator('.quick-input-widget .quick-input-list').innerText().catch(() => '');
    if (i > 0 && current === previous) return;
    previous = current;
  }
}

export interface QuickInputRow {
  /** For commands in the palette: the command id; for other quick picks usually empty. */
  id: string;
  label: string;
  description: string;
}

/** Every row of the open quick input, scrolling through the virtualised list so none is missed. */
async function quickInputRows(page: Page): Promise<QuickInputRow[]> {
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  const byIndex = new Map<number, QuickInputRow>();
  for (let round = 0; round < 50; round++) {
    const seen = await rows.evaluateAll((elements) =>
      elements.map((row) => ({
        index: Number(row.getAttribute('data-index')),
        size: Number(row.getAttribute('aria-setsize')),
        id: row.querySelector('[data-quick-input-id]')?.getAttribute('data-quick-input-id') ?? '',
        label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
        description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
      })),
    );
    for (const { index, id, label, description } of seen) byIndex.set(index, { id, label, description });
    const size = seen[0]?.size ?? 0;
    if (byIndex.size >= size) break;
    await page.keyboard.press('PageDown');
    await page.waitForTimeout(100);
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, row]) => row);
}

/** What the command palette lists when `text` is typed: { id, label } per command, in order. Closes the palette unless keepOpen. */
export async function paletteCommands(page: Page, text: string, { timeout = DEFAULT_TIMEOUT, keepOpen = false }: Wait & { keepOpen?: boolean } = {}): Promise<QuickInputRow[]> {
  await openPalette(page, text, timeout);
  const rows = await quickInputRows(page);
  if (!keepOpen) await closeQuickInput(page);
  return rows;
}

/** Runs a command the way a user does: F1, type its title as shown in the palette, click it. */
export async function runCommand(page: Page, title: string, { timeout = DEFAULT_TIMEOUT }: Wait = {}): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const widget = await openPalette(page, title, timeout);
    const row = widget.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exactText(title) }) });
    if ((await row.count()) > 0) return row.first().click();
    // The palette lists what was registered when it opened (extensions may still be loading): reopen.
    if (Date.now() > deadline) {
      const shown = (await quickInputRows(page)).map((r) => r.label);
      await closeQuickInput(page);
      throw new Error(`The command palette has no command titled "${title}". It shows: ${JSON.stringify(shown)}`);
    }
    await closeQuickInput(page);
    await page.waitForTimeout(500);
  }
}

/** Picks the item labelled `label` in the open quick pick (exact label first, else the first label starting with it). */
export async function answerQuickPick(page: Page, label: string, { timeout = DEFAULT_TIMEOUT }: Wait = {}): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-list').waitFor({ timeout });
  const rows = widget.locator('.quick-input-list .monaco-list-row');
  const exact = rows.filter({ has: page.locator('.label-name', { hasText: exactText(label) }) });
  const prefix = rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}`) }) });
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    if ((await exact.count()) > 0) return exact.first().click();
    if ((await prefix.count()) > 0) return prefix.first().click();
    await page.waitForTimeout(100);
  }
  const shown = await quickInputRows(page);
  throw new Error(`The quick pick has no item "${label}". It shows: ${JSON.stringify(shown.map((r) => r.label))}`);
}

/**
 * Types `text` into the open input box (or quick pick filter, or the simple file dialog's path box),
 * replacing what is there, and presses Enter. Waits first for VS Code to finish filling in its own
 * initial value (the file dialog writes the folder path a moment after it appears), and checks the box
 * holds exactly `text` before pressing Enter.
 */
export async function answerInputBox(page: Page, text: string, { timeout = DEFAULT_TIMEOUT }: Wait = {}): Promise<void> {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ timeout });
  await waitForStableValue(input, timeout);
  const deadline = Date.now() + timeout;
  let value = '';
  do {
    await input.fill(text);
    await page.waitForTimeout(200);
    value = await input.inputValue();
  } while (value !== text && Date.now() < deadline);
  if (value !== text) throw new Error(`The input box kept changing: wanted "${text}", it holds "${value}"`);
  await input.press('Enter');
}

/** Waits until an input's value has not changed for half a second. */
async function waitForStableValue(input: Locator, timeout: number): Promise<void> {
  const deadline = Date.now() + timeout;
  let last = await input.inputValue();
  let stableSince = Date.now();
  while (Date.now() - stableSince < 500 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = await input.inputValue();
    if (now !== last) {
      last = now;
      stableSince = Date.now();
    }
  }
}

/** The prompt / title text of the open quick input (so a test can check what the user is asked). */
export async function quickInputPrompt(page: Page, { timeout = DEFAULT_TIMEOUT }: Wait = {}): Promise<string> {
  const widget = page.locator('.quick-input-widget');
  await widget.locator('.quick-input-box input').waitFor({ timeout });
  const parts = await widget.locator('.quick-input-title, .quick-input-message, .quick-input-box input').evaluateAll((els) =>
    els.map((e) => (e instanceof HTMLInputElement ? e.placeholder : (e.textContent ?? ''))).filter((t) => t.trim() !== ''),
  );
  return parts.join('\n');
}

export async function closeQuickInput(page: Page): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  if (await widget.isVisible()) {
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: 5_000 });
  }
}

/** Notifications on screen: toasts, the notification center's entries when it is open, and modal dialogs. */
function messageSurfaces(page: Page): Locator {
  return page.locator('.notifications-toasts .notification-list-item, .notifications-center .notification-list-item, .monaco-dialog-box');
}

/** Opens the notification center (the bell in the status bar), where toasts that timed out or were hidden remain. */
export async function showNotificationCenter(page: Page): Promise<void> {
  if (await page.locator('.notifications-center.visible').isVisible().catch(() => false)) return;
  await page.locator('.part.statusbar [id="status.notifications"] a, .part.statusbar [id="status.notifications"]').first().click();
  await page.locator('.notifications-center.visible').waitFor({ timeout: 5_000 });
}

/**
 * Finds a notification whose text matches, waiting for it: a toast or dialog first; after a couple of
 * seconds also in the notification center (VS Code hides info toasts after a while, as a user would
 * find it there). Resolves to its locator.
 */
async function findNotification(page: Page, match: string | RegExp | undefined, timeout: number, has?: Locator): Promise<Locator> {
  let surfaces = messageSurfaces(page);
  if (match !== undefined) surfaces = surfaces.filter({ hasText: match });
  if (has) surfaces = surfaces.filter({ has });
  const started = Date.now();
  while (Date.now() - started < timeout) {
    const visible = surfaces.locator('visible=true').first();
    if ((await visible.count()) > 0) return visible;
    if (Date.now() - started > 2_000) await showNotificationCenter(page).catch(() => undefined);
    await page.waitForTimeout(150);
  }
  throw new Error(`No notification${match === undefined ? '' : ` matching ${String(match)}`}${has ? ' with that button' : ''} within ${timeout} ms. Notifications: ${JSON.stringify(await notificationTexts(page))}`);
}

/** Waits for a notification (toast, notification center entry or modal dialog) whose text matches, and returns its text. */
export async function waitForNotification(page: Page, match: string | RegExp, { timeout = DEFAULT_TIMEOUT }: Wait = {}): Promise<string> {
  const found = await findNotification(page, match, timeout);
  return (await found.innerText()).trim();
}

/** Texts of the toasts, open notification-center entries and dialogs on screen now. */
export async function notificationTexts(page: Page): Promise<string[]> {
  return (await messageSurfaces(page).locator('visible=true').allInnerTexts()).map((t) => t.trim());
}

/** Clicks the button labelled `label` on a notification or modal dialog (optionally only on the one whose text matches `on`). */
export async function clickNotificationButton(page: Page, label: string, options: Wait & { on?: string | RegExp } = {}): Promise<void> {
  const button = page.locator('.monaco-button', { hasText: exactText(label) });
  const found = await findNotification(page, options.on, options.timeout ?? DEFAULT_TIMEOUT, button);
  await found.locator('.monaco-button', { hasText: exactText(label) }).first().click();
}

/** The pane of a view by its title; without a title, the side bar's only/first pane. */
function viewPane(page: Page, viewTitle?: string): Locator {
  const panes = page.locator('.part.sidebar .pane');
  if (viewTitle === undefined) return panes.first();
  return panes.filter({ has: page.locator('.pane-header h3.title', { hasText: new RegExp(`^\\s*${escapeRegExp(viewTitle)}\\s*$`, 'i') }) }).first();
}

export interface TreeRow {
  label: string;
  description: string;
  /** 1 for top-level rows. */
  level: number;
  /** undefined for leaves. */
  expanded: boolean | undefined;
}

/** The rows a tree view shows now (rendered rows only: the view must be tall enough). */
export async function treeRows(page: Page, viewTitle?: string, { timeout = DEFAULT_TIMEOUT }: Wait = {}): Promise<TreeRow[]> {
  const pane = viewPane(page, viewTitle);
  await pane.waitFor({ timeout });
  return pane.locator('.pane-body .monaco-list-row').evaluateAll((rows) =>
    rows.map((row) => {
      const expanded = row.getAttribute('aria-expanded');
      return {
        label: row.querySelector('.label-name')?.textContent?.trim() ?? '',
        description: row.querySelector('.label-description')?.textContent?.trim() ?? '',
        level: Number(row.getAttribute('aria-level') ?? '1'),
        expanded: expanded === null ? undefined : expanded === 'true',
      };
    }),
  );
}

/** Waits until a tree view shows a row whose label matches, and returns the rows then. */
/** Waits until a row's label matches, or until `match` (given every row) says the tree is as expected. */
export async function waitForTreeRow(page: Page, match: string | RegExp | ((rows: TreeRow[]) => boolean), viewTitle?: string, { timeout = DEFAULT_TIMEOUT }: Wait = {}): Promise<TreeRow[]> {
  const deadline = Date.now() + timeout;
  let rows: TreeRow[] = [];
  const matches = typeof match === 'function' ? match : (all: TreeRow[]) => all.some((r) => (typeof match === 'string' ? r.label === match : match.test(r.label)));
  while (Date.now() < deadline) {
    rows = await treeRows(page, viewTitle, { timeout });
    if (matches(rows)) return rows;
    await page.waitForTimeout(200);
  }
  throw new Error(`No tree rows matching ${String(match)}. Rows: ${JSON.stringify(rows.map((r) => [r.label, r.description]))}`);
}

/** The welcome content of a view (shown while its tree is empty): its paragraphs and its buttons. */
export async function welcomeContent(page: Page, viewTitle?: string, { timeout = DEFAULT_TIMEOUT }: Wait = {}): Promise<{ text: string[]; buttons: string[] }> {
  const content = viewPane(page, viewTitle).locator('.welcome-view-content');
  await content.waitFor({ timeout });
  return {
    text: (await content.locator('p').allInnerTexts()).map((t) => t.trim()),
    buttons: (await content.locator('.monaco-button').allInnerTexts()).map((t) => t.trim()),
  };
}

export async function welcomeButtons(page: Page, viewTitle?: string, wait: Wait = {}): Promise<string[]> {
  return (await welcomeContent(page, viewTitle, wait)).buttons;
}

/** Clicks a button of a view's welcome content by its label. */
export async function clickWelcomeButton(page: Page, label: string, viewTitle?: string, { timeout = DEFAULT_TIMEOUT }: Wait = {}): Promise<void> {
  await viewPane(page, viewTitle).locator('.welcome-view-content .monaco-button', { hasText: exactText(label) }).first().click({ timeout });
}

/**
 * Picks `entry` in the open context menu. VS Code ignores a mouse-up that comes right after the
 * menu opened (so the right-click's own release picks nothing), so this hovers the entry first and
 * then selects it with the keyboard, as reliably as a person who reads before clicking.
 */
export async function pickContextMenuItem(page: Page, entry: string | RegExp, { timeout = DEFAULT_TIMEOUT }: Wait = {}): Promise<void> {
  const menu = page.locator('.monaco-menu-container .monaco-menu, .context-view .monaco-menu').first();
  await menu.waitFor({ timeout });
  const item = menu.locator('.action-item:not(.disabled) .action-label', { hasText: typeof entry === 'string' ? exactText(entry) : entry }).first();
  try {
    await item.waitFor({ timeout });
  } catch {
    throw new Error(`The context menu has no enabled entry ${String(entry)}. It shows: ${JSON.stringify(await menu.locator('.action-label').allInnerTexts())}`);
  }
  await item.hover();
  await page.waitForTimeout(200);
  await page.keyboard.press('Enter');
  await menu.waitFor({ state: 'hidden', timeout });
}

/** Right-clicks the Explorer row labelled `label` (a file or folder shown in the tree) and picks `entry`. */
export async function explorerContextMenu(page: Page, label: string, entry: string | RegExp, { timeout = DEFAULT_TIMEOUT }: Wait = {}): Promise<void> {
  await openViewContainer(page, 'Explorer', { timeout });
  const row = page.locator('.part.sidebar .explorer-folders-view .monaco-list-row', { has: page.locator('.label-name', { hasText: exactText(label) }) }).first();
  await row.waitFor({ timeout });
  await row.click({ button: 'right' });
  await pickContextMenuItem(page, entry, { timeout });
}

/**
 * Runs `action` and returns the browser tab it opened (e.g. the emulator's consent or picker page
 * opened through env.openExternal), once that tab has loaded. If VS Code first asks whether to open
 * the external website, answers "Open" as the user would.
 */
export async function waitForNewTab(browserContext: BrowserContext, action: () => Promise<unknown>, { timeout = 30_000 }: Wait = {}): Promise<Page> {
  const workbenchPages = browserContext.pages();
  let tab: Page | undefined;
  const opened = browserContext.waitForEvent('page', { timeout }).then((p) => (tab = p));
  opened.catch(() => undefined);
  await action();
  const deadline = Date.now() + timeout;
  while (!tab && Date.now() < deadline) {
    for (const page of workbenchPages) {
      const open = page.locator('.monaco-dialog-box .monaco-button', { hasText: /^\s*Open\s*$/ }).first();
      if (await open.isVisible().catch(() => false)) await open.click().catch(() => undefined);
    }
    await Promise.race([opened, new Promise((resolve) => setTimeout(resolve, 200))]).catch(() => undefined);
  }
  if (!tab) throw new Error(`No browser tab opened within ${timeout} ms`);
  // window.open may start at about:blank and navigate afterwards: wait for the real page.
  await tab.waitForURL((url) => url.protocol === 'http:' || url.protocol === 'https:', { timeout: Math.max(1_000, deadline - Date.now()), waitUntil: 'domcontentloaded' });
  return tab;
}

/** Matches text exactly, ignoring surrounding whitespace. */
function exactText(text: string): RegExp {
  return new RegExp(`^\\s*${escapeRegExp(text)}\\s*$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function cssString(text: string): string {
  return text.replace(/["\\]/g, '\\$&');
}
