// Multi-step things a user does, shared by scenarios.
import path from 'node:path';
import type { VsCodeContext } from './harness';
import { REPO_ROOT } from './harness';
import { answerInputBox, answerQuickPick, clickNotificationButton, clickWelcomeButton, openPhotoSync, runCommand, waitForNewTab, waitForNotification } from './page';

const CLIENT_FILE = path.join(REPO_ROOT, 'test', 'fixtures', 'client_secret.json');

/** Imports the emulator's OAuth client and signs in through the consent page, pressing Allow. */
export async function signIn(ctx: VsCodeContext): Promise<void> {
  const { page } = ctx;
  await runCommand(page, 'Photo Sync: Set Up Google OAuth Client…');
  await answerQuickPick(page, 'Import client_secret.json…');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Import client_secret.json' }).waitFor();
  await answerInputBox(page, CLIENT_FILE);
  await waitForNotification(page, /Google OAuth client saved/);
  await openPhotoSync(page);
  const consent = await waitForNewTab(ctx.browserContext, async () => {
    await clickWelcomeButton(page, 'Sign In to Google Photos', 'Library');
    await clickNotificationButton(page, 'Allow', { on: /wants to sign in using Google Photos/ });
  });
  await consent.locator('#allow').waitFor();
  await Promise.all([consent.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/\?/), consent.click('#allow')]);
  await consent.getByText('Signed in to Google Photos').waitFor();
  await consent.close();
  await waitForNotification(page, /Signed in to Google Photos as/);
}
