// Signing in to Google Photos in real VS Code (code-server + Chromium) against the emulator:
// set up the OAuth client from client_secret.json, sign in from the welcome view, press Allow (or
// Deny) on the consent page in the new tab, see the account in the Accounts menu, sign out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS_DIR, REPO_ROOT, withVsCode, type VsCodeContext } from './harness';
import {
  answerInputBox,
  answerQuickPick,
  clickNotificationButton,
  clickWelcomeButton,
  openPhotoSync,
  paletteCommands,
  runCommand,
  waitForNewTab,
  waitForNotification,
  welcomeButtons,
} from './page';

const ACCOUNT = 'photo.sync.tester@gmail.com';
const CLIENT_FILE = path.join(REPO_ROOT, 'test', 'fixtures', 'client_secret.json');

async function setUpClient(ctx: VsCodeContext): Promise<void> {
  await runCommand(ctx.page, 'Photo Sync: Set Up Google OAuth Client…');
  await answerQuickPick(ctx.page, 'Import client_secret.json…');
  await ctx.page.locator('.quick-input-widget .quick-input-title', { hasText: 'Import client_secret.json' }).waitFor();
  // code-server's open dialog is VS Code's own simple file dialog: a path typed into a quick input.
  await answerInputBox(ctx.page, CLIENT_FILE);
  await waitForNotification(ctx.page, /Google OAuth client saved \(project photo-sync-emulator\)/);
}

/** Clicks the welcome view's sign-in button, allows VS Code's "wants to sign in" dialog, returns the consent tab. */
async function startSignIn(ctx: VsCodeContext): Promise<Page> {
  const tab = await waitForNewTab(ctx.browserContext, async () => {
    await clickWelcomeButton(ctx.page, 'Sign In to Google Photos', 'Library');
    await clickNotificationButton(ctx.page, 'Allow', { on: /wants to sign in using Google Photos/ });
  });
  // code-server routes http://127.0.0.1:<port> URLs opened with env.openExternal through its own
  // /proxy/<port>/ path; the consent page must work there as it would on Google's own host.
  assert.match(tab.url(), /\/accounts\/o\/oauth2\/v2\/auth\?/, `consent tab opened ${tab.url()}`);
  return tab;
}

async function tabShot(scenario: string, tab: Page, name: string): Promise<void> {
  await tab.screenshot({ path: path.join(ARTIFACTS_DIR, scenario, `tab-${name}.png`) });
}

async function accountsMenu(page: Page): Promise<string> {
  await page.locator('.part.activitybar a.action-label[aria-label^="Accounts"]').first().click();
  const menu = page.locator('.monaco-menu-container .monaco-menu, .context-view .monaco-menu').first();
  await menu.waitFor({ timeout: 10_000 });
  return menu.innerText();
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

test('sign in from the welcome view, Allow in the browser, account in the Accounts menu, sign out revokes', () =>
  withVsCode('auth-allow', {}, async (ctx) => {
    const { page } = ctx;
    await openPhotoSync(page);
    assert.ok((await welcomeButtons(page, 'Library')).includes('Sign In to Google Photos'));
    await ctx.screenshot('welcome-signed-out');

    await setUpClient(ctx);
    const consent = await startSignIn(ctx);
   
    await consent.locator('#allow').waitFor();
    await tabShot('auth-allow', consent, 'consent');
    // The paste fallback lives in the progress notification's text and a status bar item (code-server
    // is a web window, so both show at once) — and both end with the sign-in, nothing stale stays.
    const pasteItem = page.locator('.statusbar-item', { hasText: 'Paste Sign-In Address' });
    await pasteItem.waitFor();
    await page.locator('.notification-toast', { hasText: 'Paste Sign-In Address' }).waitFor();
    await ctx.screenshot('signing-in');
    await Promise.all([consent.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/\?/), consent.click('#allow')]);
    await consent.getByText('Signed in to Google Photos').waitFor();
    await tabShot('auth-allow', consent, 'signed-in-page');
    await consent.close();

    await waitForNotification(page, `Signed in to Google Photos as ${ACCOUNT}.`);
    // Signed in: the Library view's welcome content (shown only while !photoSync.signedIn) is gone.
    await page.locator('.part.sidebar .pane', { has: page.locator('.pane-header h3.title', { hasText: /^\s*Library\s*$/i }) }).locator('.welcome-view-content').waitFor({ state: 'hidden' });
    await pasteItem.waitFor({ state: 'detached' });
    assert.equal(await page.locator('.notification-toast', { hasText: /redirect|Paste/ }).count(), 0, 'no notification left offering the paste');
    await ctx.screenshot('signed-in');
    const menu = await accountsMenu(page);
    assert.match(menu, new RegExp(`${ACCOUNT.replace(/\./g, '\\.')} \\(Google Photos\\)`));
    await ctx.screenshot('accounts-menu');
    await page.keyboard.press('Escape');

    assert.ok((await paletteCommands(page, 'Photo Sync: Sign Out')).some((c) => c.label === 'Photo Sync: Sign Out'), 'Sign Out offered while signed in');
    await runCommand(page, 'Photo Sync: Sign Out');
    await waitForNotification(page, `Signed out of Google Photos (${ACCOUNT}).`);
    assert.ok((await welcomeButtons(page, 'Library')).includes('Sign In to Google Photos'));
    await ctx.screenshot('signed-out');
    assert.ok(!(await paletteCommands(page, 'Photo Sync: Sign Out')).some((c) => c.label === 'Photo Sync: Sign Out'), 'Sign Out hidden while signed out');
    const revocations = await ctx.emulator.control.revocations();
    assert.equal(revocations.length, 1);
    assert.equal(revocations[0].kind, 'refresh');

    // No token the emulator issued is in the extension's storage, its log or the settings.
    const state = await ctx.emulator.control.state();
    const tokens = [...state.tokens.access, ...state.tokens.refresh].map((t) => t.token);
    assert.ok(tokens.length >= 2);
    const places = [
      ...filesUnder(ctx.globalStorageDir).map((f) => [f, readFileSync(f, 'latin1')]),
      ['extension log', await ctx.extensionLog()],
      ['settings.json', readFileSync(path.join(ctx.userDataDir, 'User', 'settings.json'), 'utf8')],
    ];
    assert.match(places.find(([w]) => w === 'extension log')?.[1] ?? '', /Signed in to Google Photos as/);
    for (const [where, text] of places) for (const token of tokens) assert.ok(!text.includes(token), `token leaked into ${where}`);
  }));

test('the walkthrough leads through the Google Cloud steps; Deny on the consent page shows the access_denied message', () =>
  withVsCode('auth-deny', {}, async (ctx) => {
    const { page } = ctx;
    await runCommand(page, 'Welcome: Open Walkthrough...');
    await answerQuickPick(page, 'Set Up Photo Sync with Google Photos');
    const walkthrough = page.locator('.gettingStartedContainer');
    for (const step of ['Create a Google Cloud project', 'Enable the Photos Library API and the Photos Picker API', 'Configure the OAuth consent screen', 'Import client_secret.json', 'Sign in to Google Photos']) {
      await walkthrough.getByText(step, { exact: true }).first().waitFor();
    }
    await walkthrough.getByText('Add the scopes Photo Sync asks for', { exact: true }).first().click();
    // The step's markdown shows beside the steps only when the editor is wide enough: hide the side bar.
    await page.keyboard.press('Control+B');
    await page.frameLocator('iframe.webview.ready').frameLocator('iframe').getByText('list the albums and photos Photo Sync uploaded', { exact: false }).first().waitFor();
    await ctx.screenshot('walkthrough-scopes');
    await page.keyboard.press('Control+W');
    await page.keyboard.press('Control+B');

    await openPhotoSync(page);
    await setUpClient(ctx);
    const consent = await startSignIn(ctx);
    await consent.locator('#deny').waitFor();
    await Promise.all([consent.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/\?/), consent.click('#deny')]);
    await consent.getByText('Sign-in did not complete').waitFor();
    await tabShot('auth-deny', consent, 'denied-page');
    await consent.close();

    const text = await waitForNotification(page, /access_denied/);
    assert.match(text, /choose Allow/);
    assert.match(text, /Sign In Again/);
    await ctx.screenshot('access-denied');
    assert.ok((await welcomeButtons(page, 'Library')).includes('Sign In to Google Photos'), 'still signed out');
    const state = await ctx.emulator.control.state();
    assert.equal(state.requestCounts['oauth.token'] ?? 0, 0, 'no code was exchanged');
  }));
