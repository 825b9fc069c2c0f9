// photo-sync status: the OAuth client and account, where settings, secrets and the index are, the
// quota used today, each sync folder with its counts (as the sidebar shows them), unfinished work,
// and runs in progress. Reads only: no request, nothing written (an index that does not exist yet
// is not created). Exits 4 when no account is signed in, 2 when no OAuth client is set up.
import fs from 'node:fs';
import path from 'node:path';
import { destinationKind } from '../../destinations/factory';
import type { PhotoIndex } from '../../index/api';
import { INDEX_FILE_NAME } from '../../index/constants';
import { describeAlbumRule, folderCounts, folderState, toUpload } from '../../sync/folderStatus';
import { RunLeases } from '../../sync/runLease';
import { formatCount, formatTimeOfDay } from '../../util/format';
import { defineCommand } from '../command';
import { CLI_LABEL } from '../context';
import { EXIT } from '../exit';

export default defineCommand({
  name: 'status',
  summary: 'Show the account, quota used today, sync folders with their counts, and unfinished work',
  examples: ['photo-sync status', 'photo-sync --vscode-settings status', 'photo-sync status --json'],
  async run(cli) {
    const { out } = cli;
    const settings = cli.settings();
    const auth = await cli.auth();
    const client = await auth.clientStore.get();
    const account = auth.account(cli.options.account);
    const location = cli.indexLocation();
    const indexFile = path.join(location.dir, INDEX_FILE_NAME);
    const index: PhotoIndex | undefined = fs.existsSync(indexFile) ? await cli.index() : undefined;
    const now = Date.now();

    const folders = settings.folders.map((folder) => {
      const kind = destinationKind(folder.destination);
      const exists = fs.existsSync(folder.path);
      const counts = index ? folderCounts(index, folder) : {};
      const key = kind && account ? RunLeases.runKey(kind.id, account.id, folder.path) : undefined;
      const holder = key ? new RunLeases(location.dir, { log: cli.log, label: CLI_LABEL }).holder(key) : undefined;
      return { folder, kind, exists, counts, holder };
    });
    const quotas = [...new Set(settings.folders.map((f) => f.destination).concat('google-photos'))].flatMap((id) => {
      const kind = destinationKind(id);
      if (!kind || !index) return [];
      return [{ kind, used: index.quota.total(kind.quota.bucket, kind.quota.periodOf(now)), resetsAt: kind.quota.resetsAt(now) }];
    });
    const uploads = index && account ? index.uploads.countByState({ provider: 'google-photos', accountId: account.id }) : {};
    const unfinishedUploads = (uploads.pending ?? 0) + (uploads.uploading ?? 0) + (uploads.uploaded ?? 0);
    const unfinishedOps = index && account ? index.syncOps.pending({ provider: 'google-photos', accountId: account.id }, { limit: 1 }).total : 0;

    out.event('status', {
      client: client ? { clientId: client.clientId, projectId: client.projectId ?? null } : null,
      accounts: auth.accounts().map((a) => ({ id: a.id, label: a.label })),
      account: account ? { id: account.id, label: account.label } : null,
      secrets: { backend: auth.secrets.backend, where: auth.secrets.where, keychainProblem: auth.secrets.keychainProblem ?? null },
      settings: settings.source,
      index: { path: indexFile, source: location.source, exists: index !== undefined, schemaVersion: index?.schemaVersion ?? null },
      quota: quotas.map((q) => ({ destination: q.kind.id, used: q.used, limit: q.kind.quota.limit, period: q.kind.quota.period, resetsAt: new Date(q.resetsAt).toISOString() })),
      folders: folders.map((f) => ({
        path: f.folder.path,
        destination: f.folder.destination,
        album: f.folder.album,
        exists: f.exists,
        counts: f.counts,
        running: f.holder ? { label: f.holder.label, pid: f.holder.pid, host: f.holder.host, progress: f.holder.progress ?? null } : null,
      })),
      unfinished: { uploads: unfinishedUploads, albumOps: unfinishedOps },
    });

    out.info(`OAuth client:  ${client ? `set up${client.projectId ? ` (project ${client.projectId})` : ''}` : 'not set up — run: photo-sync setup-client <client_secret.json>'}`);
    out.info(`Account:       ${account ? account.label : 'not signed in — run: photo-sync login'}${auth.accounts().length > 1 ? ` (signed in: ${auth.accounts().map((a) => a.label).join(', ')})` : ''}`);
    out.info(`Secrets:       ${auth.secrets.where}${auth.secrets.keychainProblem ? ` (no OS keychain: ${auth.secrets.keychainProblem})` : ''}`);
    out.info(`Settings:      ${settings.source}`);
    out.info(`Index:         ${indexFile}${index ? '' : ' (not created yet: the first sync creates it)'} — ${location.source}`);
    for (const q of quotas) {
      out.info(`Quota:         ${formatCount(q.used)} of ${formatCount(q.kind.quota.limit)} requests used ${q.kind.quota.period === 'day' ? 'today' : 'this hour'} (${q.kind.displayName}; resets at ${q.kind.quota.resetText}, ${formatTimeOfDay(q.resetsAt)} here)`);
    }
    out.info(`Sync folders:${folders.length ? '' : '  none'}`);
    for (const f of folders) {
      const state = !f.exists ? 'missing (disconnected drive?)' : folderState(f.counts);
      out.info(`  ${f.folder.path} → ${f.kind?.displayName ?? f.folder.destination}, ${describeAlbumRule(f.folder)}: ${state}`);
      if (f.holder) {
        const p = f.holder.progress;
        out.info(`    syncing now in ${f.holder.label ?? 'another window'} (process ${f.holder.pid})${p ? `: ${p.title}, ${formatCount(p.done)} of ${formatCount(p.total)}` : ''}`);
      }
    }
    const pending = folders.reduce((n, f) => n + toUpload(f.counts), 0);
    if (unfinishedUploads || unfinishedOps) out.info(`Unfinished:    ${formatCount(unfinishedUploads)} upload(s), ${formatCount(unfinishedOps)} album add(s) or archive move(s) — the next sync finishes them`);
    else if (pending) out.info(`To upload:     ${formatCount(pending)} file(s) seen but not uploaded yet — run: photo-sync sync`);
    if (!client) return EXIT.usage;
    return account ? EXIT.ok : EXIT.signIn;
  },
});
