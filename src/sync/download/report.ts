import path from 'node:path';
import type { DownloadPlan } from './plan';
import type { SourceKind } from './source';

/** What a download run did, for the result message, the log and the tests. */
export interface DownloadReport {
  source: { kind: SourceKind; key: string; title: string };
  /** The download folder. */
  root: string;
  listed: number;
  downloaded: number;
  /** Bytes written. */
  bytes: number;
  /** Already in the folder, unchanged: not downloaded again. */
  already: number;
  /** Not downloadable yet (videos still processing) or never (processing failed), with why. */
  notReady: { name: string; reason: string }[];
  failed: { name: string; message: string }[];
  /** Files placed, absolute paths. */
  files: string[];
  /** Folders below the root that received files, with how many. */
  folders: Record<string, number>;
  /** Names that were taken (by a user's file or another item): the file got a " (n)" name. */
  renamed: { wanted: string; placed: string }[];
  /** Album-tree entries made, by kind, and the entries that could not be made. */
  links: { symlink: number; hardlink: number; problems: string[] };
  exifWritten: number;
  sidecars: number;
  warnings: string[];
  /** The walk stopped at the mark of an earlier complete walk (RFC 3339). */
  stoppedAt?: string;
  /** Why the run stopped before the end (a full disk, a read-only folder, signed out). */
  stopped?: string;
  cancelled: boolean;
  /** Cancelled without the user asking: the queue stopped (VS Code closing). The rows stay to resume. */
  interrupted: boolean;
  /** The first errors tasks failed with, so the UI can explain a cause the user must fix. */
  errors: unknown[];
}

export function newDownloadReport(plan: DownloadPlan): DownloadReport {
  return {
    source: { kind: plan.source.kind, key: plan.source.key, title: plan.source.title },
    root: plan.root,
    listed: plan.listed,
    downloaded: 0,
    bytes: 0,
    already: plan.already,
    notReady: [...plan.notReady, ...plan.unavailable].map(({ item, reason }) => ({ name: item.filename || item.id, reason })),
    failed: [],
    files: [],
    folders: {},
    renamed: [],
    links: { symlink: 0, hardlink: 0, problems: [] },
    exifWritten: 0,
    sidecars: 0,
    warnings: [...plan.warnings],
    stoppedAt: plan.stoppedAt,
    cancelled: false,
    interrupted: false,
    errors: [],
  };
}

export function notePlaced(report: DownloadReport, file: string, bytes: number): void {
  report.downloaded++;
  report.bytes += bytes;
  report.files.push(file);
  const folder = path.relative(report.root, path.dirname(file)) || '.';
  report.folders[folder] = (report.folders[folder] ?? 0) + 1;
}
