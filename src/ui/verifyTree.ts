// The "Verify Backup" view: the last verify's one-line result, then per sync folder its findings
// grouped by kind with counts, each row with the actions that fit it (its contextValue lists them:
// "photoSync.verifyFinding redownload open forget"; package.json's menus match on the words).
import path from 'node:path';
import type * as vscode from 'vscode';
import { ACTIONS_FOR, FINDING_KINDS, findingTitle, summaryLine, type Finding, type FindingKind, type VerifyReport } from '../sync/verify/types';
import type { TreeNode } from './tree';
import { translateDetail } from '../sync/verify/detailText';
import { formatCount, formatDateTime, formatTimeOfDay } from '../util/format';

export type VerifyTreeVs = Pick<typeof vscode, 'TreeItem' | 'TreeItemCollapsibleState' | 'ThemeIcon' | 'MarkdownString' | 'Uri' | 'l10n'>;

/** A row the verify commands act on: one finding, or a group of them. */
export interface FindingNode extends TreeNode {
  readonly findings: readonly Finding[];
}

const ICONS: Record<FindingKind, string> = {
  unavailable: 'debug-disconnect',
  'missing-locally': 'cloud-download',
  'missing-remotely': 'cloud-upload',
  'changed-locally': 'diff-modified',
  'not-uploaded': 'circle-outline',
  duplicate: 'files',
  orphan: 'trash',
};

export function verifyRoots(vs: VerifyTreeVs, reports: () => readonly VerifyReport[]): () => Promise<TreeNode[]> {
  // Ids carry the verify's start time: a new verify's rows open as they should, not as the last one's were left.
  return async () => reports().flatMap((report, i) => [summaryNode(vs, report, `${i}:${report.startedAt}`), ...report.folders.map((f) => folderNode(vs, report, f.path, `${i}:${report.startedAt}`))]);
}

function summaryNode(vs: VerifyTreeVs, report: VerifyReport, i: string): TreeNode {
  const id = `photoSync.verify.summary:${i}`;
  return {
    id,
    toTreeItem() {
      // Short in the row (the side bar is narrow); the whole line in the tooltip and the notification.
      const n = report.findings.length;
      const label = !report.complete ? vs.l10n.t('Stopped early') : n === 1 ? vs.l10n.t('1 finding') : n ? vs.l10n.t('{0} findings', formatCount(n)) : vs.l10n.t('In sync');
      const item = new vs.TreeItem(label, vs.TreeItemCollapsibleState.None);
      item.id = id;
      const inSync = report.folders.reduce((k, f) => k + f.inSync, 0);
      item.description = vs.l10n.t('{0} · {1} in sync · {2}', report.destination, formatCount(inSync), formatTimeOfDay(report.finishedAt ?? report.startedAt));
      item.iconPath = new vs.ThemeIcon(!report.complete ? 'debug-pause' : report.findings.length ? 'warning' : 'pass');
      item.contextValue = report.complete ? 'photoSync.verifySummary' : 'photoSync.verifySummary incomplete';
      const when = formatDateTime(report.finishedAt ?? report.startedAt);
      const sent = report.requests === 1 ? vs.l10n.t('1 request sent.') : vs.l10n.t('{0} requests sent.', formatCount(report.requests));
      item.tooltip = new vs.MarkdownString(vs.l10n.t('**Verify Backup** — {0}, {1}\n\n{2}\n\n{3} {4}', report.destination, when, summaryLine(report, vs.l10n), report.deep ? vs.l10n.t('Deep: every file hashed.') : vs.l10n.t('Quick: files hashed where size or time changed.'), sent));
      if (!report.complete) item.command = { command: 'photoSync.continueVerify', title: vs.l10n.t('Continue Verify') };
      return item;
    },
  };
}

function folderNode(vs: VerifyTreeVs, report: VerifyReport, folder: string, i: string): TreeNode {
  const id = `photoSync.verify.folder:${i}:${folder}`;
  const findings = report.findings.filter((f) => f.folder === folder);
  const summary = report.folders.find((f) => f.path === folder);
  return {
    id,
    toTreeItem() {
      const item = new vs.TreeItem(path.basename(folder) || folder, findings.length ? vs.TreeItemCollapsibleState.Expanded : vs.TreeItemCollapsibleState.None);
      item.id = id;
      item.description = !summary?.available
        ? vs.l10n.t('unavailable')
        : findings.length === 1
          ? vs.l10n.t('1 finding · {0} in sync', formatCount(summary.inSync))
          : findings.length
            ? vs.l10n.t('{0} findings · {1} in sync', formatCount(findings.length), formatCount(summary.inSync))
            : summary.inSync === 1
              ? vs.l10n.t('in sync · 1 item')
              : vs.l10n.t('in sync · {0} items', formatCount(summary.inSync));
      item.iconPath = new vs.ThemeIcon(findings.length ? 'folder' : 'pass');
      item.resourceUri = vs.Uri.file(folder);
      item.tooltip = folder;
      item.contextValue = 'photoSync.verifyFolder';
      return item;
    },
    async children() {
      return FINDING_KINDS.filter((k) => findings.some((f) => f.kind === k)).map((kind) => groupNode(vs, findings.filter((f) => f.kind === kind), kind, `${id}:${kind}`));
    },
  };
}

function groupNode(vs: VerifyTreeVs, findings: Finding[], kind: FindingKind, id: string): FindingNode {
  return {
    id,
    findings,
    toTreeItem() {
      const item = new vs.TreeItem(findingTitle(kind, vs.l10n), vs.TreeItemCollapsibleState.Expanded);
      item.id = id;
      item.description = formatCount(findings.length);
      item.iconPath = new vs.ThemeIcon(ICONS[kind]);
      // Group rows offer the actions that apply to all their rows at once (not reveal/open: one file each).
      // A contextValue is matched by package.json's menus: never translated.
      item.contextValue = ['photoSync.verifyGroup', ...ACTIONS_FOR[kind].filter((a) => a !== 'reveal' && a !== 'open')].join(' ');
      return item;
    },
    async children() {
      return findings.map((f, n) => findingNode(vs, f, `${id}:${n}`));
    },
  };
}

function findingNode(vs: VerifyTreeVs, f: Finding, id: string): FindingNode {
  return {
    id,
    findings: [f],
    toTreeItem() {
      const item = new vs.TreeItem(f.rel ?? f.path ?? f.folder, vs.TreeItemCollapsibleState.None);
      item.id = id;
      item.description = translateDetail(f.detail, vs.l10n);
      item.iconPath = new vs.ThemeIcon(ICONS[f.kind]);
      if (f.path && f.kind !== 'missing-locally' && f.kind !== 'orphan') item.resourceUri = vs.Uri.file(f.path);
      const actions = ACTIONS_FOR[f.kind].filter((a) => (a !== 'open' || f.webUrl || f.mediaItemId) && (a !== 'reveal' || f.path));
      item.contextValue = ['photoSync.verifyFinding', ...actions].join(' ');
      const tip = new vs.MarkdownString(`**${findingTitle(f.kind, vs.l10n)}**\n\n`);
      tip.appendText(`${f.path ?? f.folder}\n\n${translateDetail(f.detail, vs.l10n)}`);
      item.tooltip = tip;
      return item;
    },
  };
}
