import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { OTHER_CLIENT_ID, OTHER_CLIENT_SECRET } from '../emulator/index';
import { FOLDER_MIME, driveFailure, startDrive, testBytes, type DriveHarness } from './emulator-drive-harness';

/** A small tree: Photos/{2023,2024}, files tagged with appProperties. */
async function seed(h: DriveHarness): Promise<Record<string, string>> {
  const { drive } = h.app;
  const mk = async (name: string, parent?: string, appProperties?: Record<string, string>, mimeType = FOLDER_MIME): Promise<string> =>
    (await drive.files.create({ requestBody: { name, mimeType, parents: parent ? [parent] : undefined, appProperties }, fields: 'id' })).data.id ?? '';
  const photos = await mk('Photos', undefined, { role: 'root' });
  const y2023 = await mk('2023', photos, { role: 'year' });
  const y2024 = await mk('2024', photos, { role: 'year' });
  const upload = async (name: string, parent: string, photoSyncId: string): Promise<string> =>
    (
      await drive.files.create(
        { requestBody: { name, parents: [parent], appProperties: { photoSyncId } }, media: { mimeType: 'image/jpeg', body: Readable.from(testBytes(100, name.length)) }, fields: 'id' },
        { rootUrl: h.rootUrl },
      )
    ).data.id ?? '';
  const a = await upload('beach.jpg', y2023, 'p-1');
  const b = await upload("O'Brien.jpg", y2023, 'p-2');
  const c = await upload('beach.jpg', y2024, 'p-3');
  return { photos, y2023, y2024, a, b, c };
}

const names = (files: { name?: string | null }[] | undefined): string[] => (files ?? []).map((f) => f.name ?? '').sort();

test('files.list: each q form a sync client uses, alone and joined with and', async () => {
  const h = await startDrive();
  const { drive } = h.app;
  try {
    const ids = await seed(h);
    const q = async (query: string): Promise<string[]> => (await drive.files.list({ q: query, fields: 'files(id)', spaces: 'drive' })).data.files?.map((f) => f.id ?? '').sort() ?? [];
    assert.deepEqual(await q("name = 'beach.jpg'"), [ids.a, ids.c].sort());
    assert.deepEqual(await q("name = 'O\\'Brien.jpg'"), [ids.b]);
    assert.deepEqual(await q(`mimeType = '${FOLDER_MIME}'`), [ids.photos, ids.y2023, ids.y2024].sort());
    assert.deepEqual(await q(`mimeType != '${FOLDER_MIME}'`), [ids.a, ids.b, ids.c].sort());
    assert.deepEqual(await q(`'${ids.y2023}' in parents`), [ids.a, ids.b].sort());
    assert.deepEqual(await q("'root' in parents"), [ids.photos]);
    assert.deepEqual(await q('trashed = false'), Object.values(ids).sort());
    assert.deepEqual(await q("appProperties has { key='photoSyncId' and value='p-3' }"), [ids.c]);
    assert.deepEqual(await q(`'${ids.photos}' in parents and mimeType='${FOLDER_MIME}' and trashed = false and appProperties has {key='role' and value='year'}`), [ids.y2023, ids.y2024].sort());
    assert.deepEqual(await q(`name = 'beach.jpg' and '${ids.y2024}' in parents`), [ids.c]);
    assert.deepEqual(await q("name contains 'bea'"), [ids.a, ids.c].sort());
    assert.deepEqual(await q("appProperties has { key='photoSyncId' and value='nope' }"), []);

    // Trashed files are listed unless the query says otherwise.
    await drive.files.update({ fileId: ids.a, requestBody: { trashed: true } });
    assert.deepEqual(await q("name = 'beach.jpg'"), [ids.a, ids.c].sort());
    assert.deepEqual(await q("name = 'beach.jpg' and trashed = false"), [ids.c]);
    assert.deepEqual(await q('trashed = true'), [ids.a]);

    // A query Drive cannot run is its 400 "Invalid Value" on q.
    for (const bad of ["name = 'unterminated", 'name = beach', "trashed = 'no'", "fullText contains 'x'"]) {
      const res = await driveFailure(drive.files.list({ q: bad }));
      assert.equal(res.status, 400, bad);
      assert.deepEqual([res.body.error.errors[0].reason, res.body.error.errors[0].location], ['invalid', 'q'], bad);
    }
  } finally {
    await h.close();
  }
});

test('files.list: pageSize pages with nextPageToken until it is absent; orderBy; fields; a foreign pageToken is refused', async () => {
  const h = await startDrive();
  const { drive } = h.app;
  try {
    for (const n of ['e', 'c', 'a', 'd', 'b']) await drive.files.create({ requestBody: { name: n, mimeType: FOLDER_MIME } });
    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const res = await drive.files.list({ pageSize: 2, pageToken, orderBy: 'name', fields: 'nextPageToken,files(name)' });
      seen.push(...(res.data.files ?? []).map((f) => f.name ?? ''));
      pageToken = res.data.nextPageToken ?? undefined;
      pages++;
    } while (pageToken);
    assert.deepEqual(seen, ['a', 'b', 'c', 'd', 'e']);
    assert.equal(pages, 3);
    const desc = await drive.files.list({ orderBy: 'name desc', pageSize: 2, fields: 'files(name)' });
    assert.deepEqual(desc.data.files, [{ name: 'e' }, { name: 'd' }]);

    // Drive may answer short or empty pages that still carry nextPageToken: only its absence ends the list.
    await h.control.faults({ type: 'driveShortPages', enabled: true });
    const empty = await drive.files.list({ pageSize: 2, orderBy: 'name', fields: 'nextPageToken,files(name)' });
    assert.deepEqual(empty.data.files, []);
    assert.ok(empty.data.nextPageToken);
    const all: string[] = [];
    let token: string | undefined;
    do {
      const res = await drive.files.list({ pageSize: 2, pageToken: token, orderBy: 'name', fields: 'nextPageToken,files(name)' });
      all.push(...(res.data.files ?? []).map((f) => f.name ?? ''));
      token = res.data.nextPageToken ?? undefined;
    } while (token);
    assert.deepEqual(all, ['a', 'b', 'c', 'd', 'e']);
    await h.control.faults({ type: 'driveShortPages', enabled: false });

    const first = await drive.files.list({ pageSize: 2, fields: 'nextPageToken' });
    const foreign = await driveFailure(drive.files.list({ pageSize: 3, pageToken: first.data.nextPageToken ?? '' }));
    assert.equal(foreign.status, 400);
    assert.equal(foreign.body.error.errors[0].location, 'pageToken');

    // Default answer: kind, incompleteSearch and four fields per file.
    const plain = await drive.files.list({ pageSize: 1, orderBy: 'name' });
    assert.deepEqual(Object.keys(plain.data).sort(), ['files', 'incompleteSearch', 'kind', 'nextPageToken']);
    assert.deepEqual(Object.keys(plain.data.files?.[0] ?? {}).sort(), ['id', 'kind', 'mimeType', 'name']);
  } finally {
    await h.close();
  }
});

test('drive.file: another OAuth client cannot see, read or change the files; a client of the same project can', async () => {
  const h = await startDrive();
  try {
    const ids = await seed(h);
    const other = await h.signIn({ clientId: OTHER_CLIENT_ID, clientSecret: OTHER_CLIENT_SECRET });
    assert.deepEqual((await other.drive.files.list({ fields: 'files(id)' })).data.files, []);
    assert.deepEqual((await other.drive.files.list({ q: "name = 'beach.jpg'", fields: 'files(id)' })).data.files, []);
    for (const call of [
      () => other.drive.files.get({ fileId: ids.a }),
      () => other.drive.files.get({ fileId: ids.a, alt: 'media' }),
      () => other.drive.files.update({ fileId: ids.a, requestBody: { name: 'stolen' } }),
      () => other.drive.files.delete({ fileId: ids.a }),
      () => other.drive.files.create({ requestBody: { name: 'child', parents: [ids.y2023] } }),
    ]) {
      const res = await driveFailure(call());
      assert.equal(res.status, 404);
      assert.equal(res.body.error.errors[0].reason, 'notFound');
    }
    // Its own files are its own; appProperties stay private to each app.
    const mine = await other.drive.files.create({ requestBody: { name: 'beach.jpg', appProperties: { photoSyncId: 'p-1' } }, fields: 'id' });
    assert.deepEqual((await other.drive.files.list({ q: "appProperties has { key='photoSyncId' and value='p-1' }", fields: 'files(id)' })).data.files, [{ id: mine.data.id }]);
    assert.deepEqual((await h.app.drive.files.list({ q: "appProperties has { key='photoSyncId' and value='p-1' }", fields: 'files(id)' })).data.files, [{ id: ids.a }]);

    // Drive grants drive.file per app, i.e. per Cloud project: the web client of the same project sees them.
    const sibling = await h.signInWeb();
    assert.equal((await sibling.drive.files.list({ q: "name = 'beach.jpg'", fields: 'files(id)' })).data.files?.length, 2);

    // A file the user made in Drive's web UI is nobody's app file.
    const web = await h.web.createAsUser({ name: 'beach.jpg', mimeType: 'image/jpeg', content: testBytes(10) });
    assert.equal(web.ownerApp, null);
    const listed = (await h.app.drive.files.list({ q: "name = 'beach.jpg'", fields: 'files(id)' })).data.files ?? [];
    assert.ok(!listed.some((f) => f.id === web.id));
    assert.equal((await driveFailure(h.app.drive.files.get({ fileId: web.id }))).status, 404);
  } finally {
    await h.close();
  }
});

test('the user trashes, renames, moves and deletes in the web UI (control API); list and changes see it', async () => {
  const h = await startDrive();
  const { drive } = h.app;
  try {
    const ids = await seed(h);
    const start = (await drive.changes.getStartPageToken({})).data.startPageToken ?? '';
    await h.web.change(ids.y2023, { trashed: true });
    const live = await drive.files.list({ q: `name = 'beach.jpg' and trashed = false`, fields: 'files(id)' });
    assert.deepEqual(live.data.files, [{ id: ids.c }], 'the file inside the trashed folder is trashed too');
    const state = await h.control.state();
    assert.deepEqual(
      state.drive.files.filter((f) => f.trashed).map((f) => [f.id, f.explicitlyTrashed]).sort(),
      [[ids.y2023, true], [ids.a, false], [ids.b, false]].sort(),
    );
    await h.web.change(ids.c, { name: 'sunset.jpg', parent: ids.y2023 });
    await h.web.change(ids.y2023, { trashed: false });
    assert.deepEqual(names((await drive.files.list({ q: `'${ids.y2023}' in parents and trashed = false`, fields: 'files(name)' })).data.files), ["O'Brien.jpg", 'beach.jpg', 'sunset.jpg']);
    const deleted = await h.web.delete(ids.y2024);
    assert.deepEqual(deleted, [ids.y2024]);

    const changes = await drive.changes.list({ pageToken: start, fields: 'newStartPageToken,nextPageToken,changes(fileId,removed,file(name,trashed,parents))' });
    const byId = new Map((changes.data.changes ?? []).map((c) => [c.fileId, c]));
    assert.deepEqual(byId.get(ids.c)?.file, { name: 'sunset.jpg', trashed: false, parents: [ids.y2023] });
    assert.equal(byId.get(ids.y2024)?.removed, true);
    assert.equal(byId.get(ids.a)?.file?.trashed, false);
    assert.ok(changes.data.newStartPageToken, 'the last page carries newStartPageToken');
    assert.equal(changes.data.nextPageToken, undefined);
    const none = await drive.changes.list({ pageToken: changes.data.newStartPageToken ?? '', fields: 'changes,newStartPageToken' });
    assert.deepEqual(none.data.changes, []);
  } finally {
    await h.close();
  }
});
