// The upload report's "files look damaged" warning: English as the command line prints it, translated
// where VS Code shows it (the preview, the result message) — the count, each file's reason, "and n more".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { damagedWarning } from '../../src/sync/upload/report';
import { translatePlanWarning } from '../../src/sync/warningText';
import { damagedReason, DAMAGE_JPEG_CUT, DAMAGE_VIDEO_CUT_MISSING, DAMAGE_PNG_SIGNATURE } from '../../src/sync/reasonText';
import type { SyncPlan } from '../../src/sync/plan';
import type { SyncL10n } from '../../src/sync/l10n';
import { englishL10n } from '../../src/util/englishL10n';

const pretend = { t: (m: string, ...a: unknown[]) => `«${m.replace(/\{(\d+)\}/g, (_, i: string) => `[${String(a[Number(i)])}]`)}»` } as unknown as SyncL10n;
const damaged = (files: [string, string][]) => files.map(([rel, reason]) => ({ file: { rel, reason } })) as unknown as SyncPlan['damaged'];

test('one damaged file: English unchanged, translated with its reason where shown', () => {
  const w = damagedWarning(damaged([['Mixed/cut (1).jpg', damagedReason(DAMAGE_JPEG_CUT)]]));
  assert.equal(w, '1 file looks damaged and was not uploaded: Mixed/cut (1).jpg (the JPEG ends before its end-of-image marker (the file is cut off))');
  assert.equal(translatePlanWarning(w, pretend), '«1 file looks damaged and was not uploaded: [«[Mixed/cut (1).jpg] ([«the JPEG ends before its end-of-image marker (the file is cut off)»])»]»');
  assert.equal(translatePlanWarning(w, englishL10n), w);
});

test('several damaged files: the first three with reasons and "and n more", each translated', () => {
  const w = damagedWarning(damaged([
    ['a.png', damagedReason(DAMAGE_PNG_SIGNATURE)],
    ['clip.mp4', damagedReason(DAMAGE_VIDEO_CUT_MISSING, 'mdat', 1200)],
    ['odd.jpg', 'damaged: something no template knows'],
    ['d.jpg', damagedReason(DAMAGE_JPEG_CUT)],
    ['e.jpg', damagedReason(DAMAGE_JPEG_CUT)],
  ]));
  assert.equal(w, "5 files look damaged and were not uploaded: a.png (the PNG signature is wrong), clip.mp4 (the video is cut off inside its 'mdat' box (1200 bytes missing)), odd.jpg (something no template knows) and 2 more (listed in the review and under the folder)");
  assert.equal(
    translatePlanWarning(w, pretend),
    "«[5] files look damaged and were not uploaded: [«[«[a.png] ([«the PNG signature is wrong»])»«, »«[clip.mp4] ([«the video is cut off inside its '[mdat]' box ([1200] bytes missing)»])»«, »odd.jpg (something no template knows)] and [2] more (listed in the review and under the folder)»]»",
  );
  assert.equal(translatePlanWarning(w, englishL10n), w);
});
