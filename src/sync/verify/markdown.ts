// Verify Backup's exportable report: the date, the counts per folder and kind, and every finding.
import { FINDING_KINDS, FINDING_TITLES, countsByKind, summaryLine, type Finding, type VerifyReport } from './types';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/** `accountLabel`: the account whose library was checked (its e-mail), named in the report when given. */
export function verifyMarkdown(report: VerifyReport, accountLabel?: string): string {
  const when = new Date(report.finishedAt ?? report.startedAt).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
  const lines: string[] = [
    `# Photo Sync — Verify Backup`,
    '',
    `- Date: ${when}`,
    `- Destination: ${report.destination}`,
    ...(accountLabel ? [`- Account: ${accountLabel}`] : []),
    `- Check: ${report.deep ? 'deep (every file hashed)' : 'quick (files hashed where size or modification time changed)'}`,
    `- Requests sent: ${report.requests}`,
    `- Result: ${summaryLine(report)}`,
    '',
    '## Folders',
    '',
    '| Folder | Files | In sync | Findings | Not checked |',
    '| --- | ---: | ---: | ---: | ---: |',
  ];
  for (const f of report.folders) {
    const n = report.findings.filter((x) => x.folder === f.path).length;
    lines.push(`| ${cell(f.path)}${f.available ? '' : ' (unavailable)'} | ${f.files} | ${f.inSync} | ${n} | ${f.unchecked} |`);
  }
  const counts = countsByKind(report.findings);
  lines.push('', '## Counts', '', '| Finding | Count |', '| --- | ---: |');
  for (const kind of FINDING_KINDS) lines.push(`| ${FINDING_TITLES[kind]} | ${counts[kind] ?? 0} |`);
  for (const kind of FINDING_KINDS) {
    const list = report.findings.filter((f) => f.kind === kind);
    if (list.length === 0) continue;
    lines.push('', `## ${FINDING_TITLES[kind]} (${list.length})`, '');
    for (const f of list) lines.push(`- ${describe(f)}`);
  }
  lines.push('');
  return lines.join('\n');
}

function describe(f: Finding): string {
  const name = f.path ?? f.folder;
  const link = f.webUrl ? ` ([open](${f.webUrl}))` : '';
  return `\`${name}\` — ${f.detail}${f.album && !f.detail.includes(f.album.title) ? ` (album “${f.album.title}”)` : ''}${link}`;
}
