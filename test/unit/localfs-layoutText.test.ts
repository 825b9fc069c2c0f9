// The download layout's problems are made in English (log, command line, the setting problem's text)
// and shown in VS Code through their template: each is a known message whose values come through,
// also inside the photoSync.download.layout setting problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { calendarDate, compileLayout, LayoutError, renderLayout } from '../../src/localfs/layout';
import { errorMessageFor, translateLayoutProblem } from '../../src/sync/layoutText';
import { parseDownloadSettings } from '../../src/sync/download/settings';
import { translateSettingProblem } from '../../src/sync/settingsText';
import type { SyncL10n } from '../../src/sync/l10n';
import { englishL10n } from '../../src/util/englishL10n';

const pretend = {
  t(message: string, ...args: unknown[]): string {
    return `«${message.replace(/\{(\d+)\}/g, (_, i: string) => `⟦${String(args[Number(i)])}⟧`)}»`;
  },
} as unknown as SyncL10n;

function thrown(run: () => unknown): LayoutError {
  try {
    run();
  } catch (err) {
    if (err instanceof LayoutError) return err;
    throw err;
  }
  throw new Error('no LayoutError');
}

test('every layout and capture-time problem is a known message; its values come through', () => {
  const root = path.resolve('/downloads');
  const errors = [
    ...['', '/abs/{filename}', '../{filename}', 'photos//{filename}', 'photos/{year}/{filename}', 'photos/{yyyy/{filename}', 'photos/a|b/{filename}', 'CON/{filename}', 'photos/{yyyy}/{mm}'].map((t) => thrown(() => compileLayout(t))),
    thrown(() => calendarDate(new Date(NaN))),
    thrown(() => calendarDate('yesterday')),
    thrown(() => calendarDate('2024-02-30T10:00:00Z')),
    thrown(() => renderLayout(root, '{album}/{filename}', { filename: 'a.jpg', captureTime: '2024-05-17T10:00:00Z' })),
  ];
  for (const err of errors) {
    const shown = translateLayoutProblem(err.message, pretend);
    assert.match(shown, /^«.*»$/s, `${err.message} is a known message`);
    assert.equal(shown.slice(1, -1).replace(/[⟦⟧]/g, ''), err.message, `${err.message}: the values come through`);
    assert.equal(translateLayoutProblem(err.message, englishL10n), err.message);
    assert.equal(errorMessageFor(err, pretend), shown);
  }
  assert.equal(
    translateLayoutProblem(thrown(() => compileLayout('photos/{year}/{filename}')).message, pretend),
    '«The download layout "⟦photos/{year}/{filename}⟧" uses the unknown token ⟦{year}⟧; known tokens are ⟦{yyyy}, {mm}, {dd}, {album}, {filename}⟧.»',
  );
  assert.equal(errorMessageFor(new Error('disk full'), pretend), 'disk full');
  assert.equal(translateLayoutProblem('something else', pretend), 'something else');
});

test('the download.layout setting problem translates the layout’s problem inside it', () => {
  const { problems } = parseDownloadSettings((key) => (key === 'download.layout' ? '../{filename}' : undefined));
  assert.equal(problems[0], 'photoSync.download.layout: The download layout "../{filename}" uses "..", which would leave the download folder; only folder names and tokens such as {yyyy} are allowed. Using "photos/{yyyy}/{mm}/{filename}".');
  assert.equal(
    translateSettingProblem(problems[0], pretend),
    '«photoSync.download.layout: ⟦«The download layout "⟦../{filename}⟧" uses "⟦..⟧", which would leave the download folder; only folder names and tokens such as ⟦{yyyy}⟧ are allowed.»⟧ Using "⟦photos/{yyyy}/{mm}/{filename}⟧".»',
  );
  assert.equal(translateSettingProblem(problems[0], englishL10n), problems[0]);
});
