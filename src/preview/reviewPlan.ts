// A sync plan as the pre-upload review shows it: one row per file with its planned action, target
// album and why; the folders the rules skipped as rows of their own; counts and the request cost.
// Also the two edits the review makes: applying a new exclude glob to the scans already made (no
// second walk, no second hash), and narrowing the plan to exactly the files the user sent.
import path from 'node:path';
import picomatch from 'picomatch';
import type * as vscode from 'vscode';
import type { SyncFolder } from '../sync/config';
import { FolderFilters } from '../sync/filters';
import type { PlannedUpload, SyncPlan } from '../sync/plan';
import type { ScanResult } from '../sync/scan';
import { REVIEW_ACTIONS, type ReviewAction, type ReviewRow, type ReviewSummary } from '../webview/protocol';
import { englishL10n } from '../util/englishL10n';
import type { ReviewFile, ReviewPlanData } from './reviewSession';

type L10n = Pick<typeof vscode.l10n, 't'>;

export interface ReviewScan {
  folder: SyncFolder;
  scan: ScanResult;
}

export interface ReviewQuota {
  used: number;
  limit: number;
}

// Made on first use (the first Intl object in a process loads locale data; activation needs none).
let collatorMade: Intl.Collator | undefined;
const collator = { compare: (a: string, b: string) => (collatorMade ??= new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })).compare(a, b) };

/** `l10n`: VS Code's for the reasons the review shows (the reasons the scan wrote stay as written). */
export function reviewRows(scans: readonly ReviewScan[], plan: SyncPlan, quota: ReviewQuota, l10n: L10n = englishL10n): ReviewPlanData {
  const folders = scans.map((s) => s.scan.root);
  const folderOf = new Map<SyncFolder, number>(scans.map((s, i) => [s.folder, i]));
  const rows: ReviewRow[] = [];
  const uploadBySha = new Map<string, PlannedUpload>();
  for (const u of plan.uploads) uploadBySha.set(u.sha256, u);
  const name = (file: { path: string }, folder: SyncFolder) => {
    const i = folderOf.get(folder) ?? 0;
    return { folder: i, relPath: toRel(folders[i], file.path) };
  };
  const push = (file: { path: string; size: number }, folder: SyncFolder, action: ReviewAction, album?: string, reason?: string) =>
    rows.push({ ...name(file, folder), action, album, reason, size: file.size });

  for (const u of plan.uploads) {
    const why = u.reason === 'resume' ? l10n.t('an interrupted upload: only the commit is left') : u.reason === 'retry' ? l10n.t('an earlier upload did not finish: sent again') : undefined;
    push(u.file, u.folder, u.reason === 'changed' ? 'changed' : 'new', u.albumTitle, why);
  }
  // Adds without an item id belong to a duplicate (its row says so); with one, the bytes are there already.
  const duplicateAlbum = new Map<string, string>();
  for (const a of plan.adds) {
    if (a.mediaItemId) push(a.file, a.folder, 'uploaded', a.albumTitle, l10n.t('already in the library: added to “{0}” without uploading again', a.albumTitle));
    else duplicateAlbum.set(a.file.path, a.albumTitle);
  }
  for (const a of plan.alreadyUploaded) push(a.file, a.folder, 'uploaded', a.file.albumTitle, l10n.t('already uploaded'));
  for (const d of plan.duplicates) {
    const original = d.file.sha256 ? uploadBySha.get(d.file.sha256) : undefined;
    const of = original ? describeOther(original, d.folder, folders, folderOf) : l10n.t('another file of this sync');
    const album = duplicateAlbum.get(d.file.path);
    push(d.file, d.folder, 'duplicate', album ?? original?.albumTitle, album ? l10n.t('same bytes as {0}: uploaded once, also added to “{1}”', of, album) : l10n.t('same bytes as {0}: uploaded once', of));
  }
  for (const e of plan.excluded) push(e.file, e.folder, 'excluded', undefined, excludeReason(e.folder, toRel(e.folder.path, e.file.path), e.file.reason, l10n));
  for (const f of plan.unsupported) push(f.file, f.folder, 'unsupported', undefined, f.file.reason);
  for (const f of plan.tooLarge) push(f.file, f.folder, 'too-large', undefined, f.file.reason);
  for (const f of plan.rejected) push(f.file, f.folder, 'unsupported', undefined, l10n.t('refused by the service before: {0} (sent again once the file changes)', f.message));
  for (const f of plan.damaged ?? []) push(f.file, f.folder, 'damaged', undefined, stripPrefix(f.file.reason, l10n));
  for (const f of plan.empty) push(f.file, f.folder, 'damaged', undefined, f.file.reason ?? l10n.t('the file is empty (0 bytes)'));
  for (const f of plan.unreadable) push(f.file, f.folder, 'damaged', undefined, f.file.reason ?? l10n.t('cannot be read'));
  scans.forEach(({ folder, scan }, i) => {
    for (const rel of scan.skippedFolders) rows.push({ folder: i, relPath: `${rel}/`, action: 'excluded', reason: skippedFolderReason(folder, rel, l10n), size: 0 });
  });
  // The scan's own order (sorted by name folder by folder); skipped folders by name. Numbers compare
  // fast: a locale-aware sort of 100,000 paths takes seconds.
  const order = new Map<string, number>();
  scans.forEach(({ scan }, i) => scan.files.forEach((f, j) => order.set(`${i}\0${toRel(folders[i], f.path)}`, j)));
  const rank = rows.map((r, i) => ({ r, key: order.get(`${r.folder}\0${r.relPath}`) ?? -1, i }));
  rank.sort((a, b) => a.r.folder - b.r.folder || a.key - b.key || (a.key < 0 ? collator.compare(a.r.relPath, b.r.relPath) : a.i - b.i));
  rank.forEach((x, i) => (rows[i] = x.r));
  return { folders, rows, summary: summarize(rows, plan, quota) };
}

function summarize(rows: readonly ReviewRow[], plan: SyncPlan, quota: ReviewQuota): ReviewSummary {
  const counts = Object.fromEntries(REVIEW_ACTIONS.map((a) => [a, 0])) as Record<ReviewAction, number>;
  for (const r of rows) counts[r.action]++;
  return { counts, requests: plan.cost.total, quotaUsedToday: quota.used, quotaPerDay: quota.limit, bytesToUpload: plan.bytesToUpload };
}

function toRel(root: string, file: string): string {
  // The common case without path.relative (slow over 100,000 files): the file lies below the root.
  if (file.startsWith(root) && file[root.length] === path.sep) {
    const rel = file.slice(root.length + 1);
    return path.sep === '/' ? rel : rel.split(path.sep).join('/');
  }
  return path.relative(root, file).split(path.sep).join('/');
}

function describeOther(original: PlannedUpload, folder: SyncFolder, folders: string[], folderOf: Map<SyncFolder, number>): string {
  const i = folderOf.get(original.folder) ?? 0;
  const rel = toRel(folders[i], original.file.path);
  return original.folder === folder ? rel : path.join(folders[i], rel);
}

function stripPrefix(reason: string | undefined, l10n: L10n): string {
  return (reason ?? l10n.t('looks damaged')).replace(/^damaged: /, '');
}

/** Names the rule: the exclude glob that matched, the include list, or a hidden file. */
export function excludeReason(folder: SyncFolder, rel: string, fallback?: string, l10n: L10n = englishL10n): string {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  if (name.startsWith('.')) return l10n.t('a hidden file');
  const options = { dot: true, nocase: true };
  for (const glob of folder.exclude) {
    const subject = glob.includes('/') ? rel : name;
    if (picomatch.isMatch(subject, glob, options)) return l10n.t('exclude rule {0}', glob);
  }
  if (folder.include.length) return l10n.t('not matched by the include rules ({0})', folder.include.join(', '));
  return fallback ?? l10n.t('excluded by the folder rules');
}

function skippedFolderReason(folder: SyncFolder, rel: string, l10n: L10n): string {
  const name = rel.slice(rel.lastIndexOf('/') + 1);
  const rule = folder.excludeFolders.find((r) => new RegExp(r).test(name));
  if (rule) return l10n.t('folder skipped with everything in it: excludeFolders rule {0}', rule);
  return folder.archivePath ? l10n.t('the archive folder (already uploaded)') : l10n.t('folder skipped by the folder rules');
}

/**
 * Adds `glob` to the folder's exclude rules and applies it to the scans already made: every file it
 * matches becomes "excluded" with the rule as the reason. Returns how many files changed.
 */
export function applyExclude(scans: readonly ReviewScan[], folderIndex: number, glob: string): number {
  const target = scans[folderIndex];
  if (!target) throw new Error('Unknown folder');
  if (!target.folder.exclude.includes(glob)) target.folder.exclude.push(glob);
  const filters = new FolderFilters(target.folder);
  let changed = 0;
  for (const file of target.scan.files) {
    if (file.status === 'excluded') continue;
    const verdict = filters.file(file.rel);
    if (verdict.ok) continue;
    file.status = 'excluded';
    file.reason = `exclude rule ${glob}`;
    changed++;
  }
  return changed;
}

/**
 * The plan narrowed to the files the user sent with "Upload These": their uploads, the album adds of
 * their duplicates, and the album adds of bytes already in the library (shown as such in the review);
 * nothing else is sent. Album creations are kept only for albums still used.
 */
export function restrictPlan(plan: SyncPlan, files: readonly ReviewFile[]): SyncPlan {
  const chosen = new Set(files.map((f) => path.resolve(f.path)));
  const uploads = plan.uploads.filter((u) => chosen.has(path.resolve(u.file.path)));
  const shas = new Set(uploads.map((u) => u.sha256));
  const adds = plan.adds.filter((a) => a.mediaItemId || shas.has(a.sha256));
  const used = new Set([...uploads.map((u) => u.albumTitle), ...adds.map((a) => a.albumTitle)]);
  const bytesToUpload = uploads.reduce((n, u) => n + (u.reusableReceipt ? 0 : u.file.size), 0);
  return { ...plan, uploads, adds, albumsToCreate: plan.albumsToCreate.filter((t) => used.has(t)), bytesToUpload };
}
