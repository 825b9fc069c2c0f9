// A fresh VS Code with only Photo Sync installed, signed out: the extension activates, its container
// invites the user to sign in, every command it contributes is in the command palette under
// "Photo Sync: …", and its log shows no error. One VS Code serves the whole file.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readManifest } from '../helpers/manifest';
import { describeVsCode, EXTENSION_ID } from './harness';
import { closeQuickInput, notificationTexts, openPhotoSync, paletteCommands, welcomeContent } from './page';

interface Manifest {
  contributes: {
    commands?: { command: string; title: string | { value: string }; category?: string | { value: string }; enablement?: string }[];
    menus?: { commandPalette?: { command: string; when?: string }[] };
    viewsContainers?: { activitybar?: { id: string; title: string }[] };
    views?: Record<string, { id: string; name: string }[]>;
  };
}

/** The manifest VS Code loaded (package.json as packaged for this run), so the expectations grow with every contributed command. */
// Its %key% strings resolved through the installed package.nls.json, as VS Code resolves them (so a missing
// package.nls.json in the .vsix or a missing key fails here).
const installedManifest = (extensionDir: string): Manifest => {
  assert.ok(existsSync(path.join(extensionDir, 'package.nls.json')), 'the .vsix ships package.nls.json');
  return readManifest<Manifest>(extensionDir);
};
const text = (value: string | { value: string } | undefined): string => (typeof value === 'object' ? value.value : (value ?? ''));

describeVsCode('fresh-install', {}, (vsTest) => {
  vsTest('the Photo Sync container activates the extension and invites the user to sign in', async (ctx) => {
    await openPhotoSync(ctx.page);
    const welcome = await welcomeContent(ctx.page, 'Library');
    assert.ok(welcome.buttons.includes('Sign In to Google Photos'), `welcome buttons: ${JSON.stringify(welcome.buttons)}`);
    assert.ok(welcome.buttons.includes('Set Up Google OAuth Client'), `welcome buttons: ${JSON.stringify(welcome.buttons)}`);

    const hostLog = await waitFor(() => ctx.extensionHostLog(), (log) => log.includes(`_doActivateExtension ${EXTENSION_ID}`), 'the extension host to activate Photo Sync');
    assert.doesNotMatch(hostLog, new RegExp(`Activating extension '?${EXTENSION_ID.replace('.', '\\.')}'? failed`, 'i'));
    // src/extension.ts logs "Photo Sync activated" as the last step of activate(): activation finished.
    const log = await waitFor(() => ctx.extensionLog(), (l) => /\[info\] Photo Sync activated/.test(l), 'activate() to finish ("Photo Sync activated" in the Photo Sync log)');
    assert.match(log, /\[info\] Photo Sync \d+\.\d+\.\d+ activating/, 'the log names the running version');
    await ctx.screenshot('photo-sync-container-signed-out');
  });

  vsTest('every command Photo Sync contributes is in the command palette under "Photo Sync: <title>"', async (ctx) => {
    const manifest = installedManifest(ctx.extensionDir);
    const hidden = new Set((manifest.contributes.menus?.commandPalette ?? []).filter((m) => m.when === 'false').map((m) => m.command));
    const conditional = new Set((manifest.contributes.menus?.commandPalette ?? []).filter((m) => m.when !== undefined && m.when !== 'false').map((m) => m.command));
    const contributed = manifest.contributes.commands ?? [];
    for (const command of contributed) {
      assert.equal(text(command.category), 'Photo Sync', `${command.command} is filed under the category "Photo Sync"`);
      assert.ok(text(command.title).trim() !== '', `${command.command} has a title`);
    }
    // Shown whatever the state: no palette condition and no enablement clause.
    const alwaysShown = contributed.filter((c) => !hidden.has(c.command) && !conditional.has(c.command) && c.enablement === undefined);

    const rows = await paletteCommands(ctx.page, 'Photo Sync:', { keepOpen: true });
    await ctx.screenshot('command-palette-photo-sync');
    await closeQuickInput(ctx.page);
    const shown = new Map(rows.map((r) => [r.id, r.label]));

    for (const command of alwaysShown) {
      assert.equal(shown.get(command.command), `Photo Sync: ${text(command.title)}`, `${command.command} in the palette (shown: ${JSON.stringify(rows)})`);
    }
    for (const id of hidden) assert.ok(!shown.has(id), `${id} is hidden from the palette (menus.commandPalette when:false) but shown`);

    // The container exists: VS Code offers to focus each of its views.
    const containerViews = manifest.contributes.views?.photoSync ?? [];
    assert.ok(containerViews.length > 0, 'package.json contributes views to the photoSync container');
    for (const view of containerViews) assert.ok(shown.has(`${view.id}.focus`), `"Focus on ${view.name} View" for ${view.id} (shown: ${JSON.stringify(rows)})`);

    // Nothing else claims our namespace: every photoSync.* entry is contributed or generated by VS Code for our views.
    const contributedIds = new Set(contributed.map((c) => c.command));
    const viewIds = containerViews.map((v) => v.id);
    for (const { id, label } of rows) {
      if (!id.startsWith('photoSync.')) continue;
      assert.ok(contributedIds.has(id) || viewIds.some((v) => id.startsWith(`${v}.`)), `palette entry ${id} ("${label}") is not contributed in package.json`);
    }
  });

  vsTest('the Photo Sync log and the screen show no error', async (ctx) => {
    const log = await ctx.extensionLog();
    assert.ok(log.trim() !== '', 'the extension wrote its log channel');
    const errors = log.split('\n').filter((line) => line.includes('[error]'));
    assert.deepEqual(errors, [], 'no [error] lines in the Photo Sync log');
    const toasts = await notificationTexts(ctx.page);
    assert.deepEqual(toasts.filter((t) => /photo ?sync|photoSync/i.test(t)), [], 'no Photo Sync notification after start-up');
    await ctx.screenshot('after-start-up');
  });
});

/** Polls `read` until `done` accepts its value (VS Code writes its logs asynchronously). */
async function waitFor(read: () => Promise<string>, done: (value: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value)) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}. Last read:\n${value}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
    value = await read();
  }
  return value;
}
