import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchFolder, type MatchRule } from '../../src/takeout/sidecarMatch';
import { parseSidecarName, stripEditedSuffix } from '../../src/takeout/sidecarNames';

/** Matches one media file against one sidecar, like immich-go's matcher_test table. */
function pair(json: string, media: string): MatchRule {
  return matchFolder([media], [{ fileName: json }]).media.get(media)!.rule;
}

test('immich-go matcher vectors: every pair that must match does, every near miss does not', () => {
  const vectors: [json: string, media: string, rule: MatchRule][] = [
    ['PXL_20211013_220651983.jpg.json', 'PXL_20211013_220651983.jpg', 'exact'],
    ['PXL_20211013_220651983.jpg.json', 'PXL_20211013_220651958.jpg', 'none'],
    ['PXL_20220405_090123740.PORTRAIT.jpg.json', 'PXL_20220405_090123740.PORTRAIT-modifié.jpg', 'edited-copy'],
    ['PXL_20220405_090123740.PORTRAIT.jpg.json', 'PXL_20220405_090123741.PORTRAIT-modifié.jpg', 'none'],
    ['DSC_0100.JPG.json', 'DSC_0100.JPG', 'exact'],
    ['DSC_0101.JPG(1).json', 'DSC_0101(1).JPG', 'duplicate-counter'],
    ['DSC_0102.JPG(2).json', 'DSC_0102(1).JPG', 'none'],
    ['DSC_0103.JPG(1).json', 'DSC_0103.JPG', 'none'],
    ['DSC_0104.JPG.json', 'DSC_0104(1).JPG', 'none'],
    ['IMG_2710.HEIC(1).json', 'IMG_2710(1).HEIC', 'duplicate-counter'],
    ['PXL_20231118_035751175.MP.jpg.json', 'PXL_20231118_035751175.MP.jpg', 'exact'],
    ['PXL_20230809_203449253.LONG_EXPOSURE-02.ORIGIN.json', 'PXL_20230809_203449253.LONG_EXPOSURE-02.ORIGINA.jpg', 'truncated-name'],
    ['05yqt21kruxwwlhhgrwrdyb6chhwszi9bqmzu16w0 2.jp.json', '05yqt21kruxwwlhhgrwrdyb6chhwszi9bqmzu16w0 2.jpg', 'truncated-name'],
    ['😀😃😄😁😆😅😂🤣🥲☺️😊😇🙂🙃😉😌😍🥰😘😗😙😚😋.json', '😀😃😄😁😆😅😂🤣🥲☺️😊😇🙂🙃😉😌😍🥰😘😗😙😚😋😛.jpg', 'truncated-name'],
    ['Backyard_ceremony_wedding_photography_xxxxxxx_(494).json', 'Backyard_ceremony_wedding_photography_xxxxxxx_m(494).jpg', 'truncated-name'],
    ['Backyard_ceremony_wedding_photography_xxxxxxx_(494).json', 'Backyard_ceremony_wedding_photography_xxxxxxx_m(185).jpg', 'none'],
    ['original_1d4caa6f-16c6-4c3d-901b-9387de10e528_.json', 'original_1d4caa6f-16c6-4c3d-901b-9387de10e528_P.jpg', 'truncated-name'],
    ['PXL_20210102_221126856.MP~2.jpg.json', 'PXL_20210102_221126856.MP~2.jpg', 'exact'],
    ['13039_327707840323_537645323_9470255_27214_n.j(1).json', '13039_327707840323_537645323_9470255_27214_n(1).jpg', 'truncated-name'],
  ];
  for (const [json, media, rule] of vectors) assert.equal(pair(json, media), rule, `${media} ↔ ${json}`);
});

test('supplemental-metadata sidecars: whole, cut anywhere by the 51-character cap, counter before or after the suffix', () => {
  assert.equal(pair('IMG_1234.jpg.supplemental-metadata.json', 'IMG_1234.jpg'), 'supplemental');
  for (const cut of ['supplemental-metadat', 'supplemental-me', 'supplemental', 'supple', 's', '']) {
    assert.equal(pair(`IMG_1234.jpg.${cut}.json`, 'IMG_1234.jpg'), 'supplemental-truncated', cut);
  }
  assert.equal(pair('IMG_2367.HEIC.supplemental-metadata(1).json', 'IMG_2367(1).HEIC'), 'duplicate-counter');
  assert.equal(pair('IMG_2367.HEIC(1).supplemental-metadata.json', 'IMG_2367(1).HEIC'), 'duplicate-counter');
  assert.equal(pair('IMG_2367.HEIC.supplemental-metadata(2).json', 'IMG_2367(1).HEIC'), 'none');
  // A 40-character name keeps only `.suppl` of the suffix: 40 + 6 = 46.
  const name = 'PXL_20240101_120000000.NIGHT.LONGER.jpg';
  const sidecar = `${name}.supplemental-metadata`.slice(0, 46) + '.json';
  assert.equal(sidecar.length, 51);
  assert.equal(pair(sidecar, name), 'supplemental-truncated');
  // A name over 46 loses the whole suffix and its own tail.
  const long = 'Screenshot_20240101-120000_A_Really_Long_App_Name.png';
  assert.equal(pair(`${long.slice(0, 46)}.json`, long), 'truncated-name');
  // The cut rule needs the JSON to have really hit the cap: a short prefix is not enough.
  assert.equal(pair('Screenshot_2024.json', 'Screenshot_20240101-120000.png'), 'none');
});

test('duplicate index stacked with an edit suffix and a name that itself ends in (1) (immich-go docs, groups A and B)', () => {
  const media = ['Negative0-36-35(1).jpg', 'Negative0-36-35(1)-editat.jpg', 'Negative0-36-35(1)(1).jpg', 'Negative0-36-35(1)-editat(1).jpg'];
  const sidecars = [
    { fileName: 'Negative0-36-35(1).jpg.supplemental-metadata.json', title: 'Negative0-36-35(1).jpg' },
    { fileName: 'Negative0-36-35(1).jpg.supplemental-metadata(1).json', title: 'Negative0-36-35(1).jpg' },
  ];
  const result = matchFolder(media, sidecars).media;
  assert.deepEqual(
    media.map((m) => [m, result.get(m)!.rule, result.get(m)!.sidecar]),
    [
      ['Negative0-36-35(1).jpg', 'supplemental', sidecars[0].fileName],
      ['Negative0-36-35(1)-editat.jpg', 'edited-copy', sidecars[0].fileName],
      ['Negative0-36-35(1)(1).jpg', 'duplicate-counter', sidecars[1].fileName],
      ['Negative0-36-35(1)-editat(1).jpg', 'edited-copy', sidecars[1].fileName],
    ],
  );
});

test('edited copies in every listed language share the original sidecar; NFD names too once normalised', () => {
  for (const suffix of ['-edited', '-bearbeitet', '-modificato', '-modifié', '-editado', '-bewerkt', '-編集済み', '-effects', '-smile', '-mix']) {
    assert.equal(pair('IMG_1.jpg.json', `IMG_1${suffix}.jpg`), 'edited-copy', suffix);
  }
  assert.equal(stripEditedSuffix('IMG_1-EDITED'), 'IMG_1');
  assert.equal(stripEditedSuffix('IMG_1-credited'), undefined);
  assert.equal(pair('IMG_1.jpg.json', 'IMG_1-credited.jpg'), 'none');
});

test('live and motion photos: the video half without a sidecar shares the still’s; a lone video does not', () => {
  const result = matchFolder(
    ['IMG_2710.HEIC', 'IMG_2710.MOV', 'IMG_2710(1).HEIC', 'IMG_2710(1).MP4', 'IMG_3000.MOV', 'PXL_1.MP', 'PXL_2.MP~2.jpg'],
    [{ fileName: 'IMG_2710.HEIC.json' }, { fileName: 'IMG_2710.HEIC(1).json' }, { fileName: 'IMG_3000.JPG.json' }, { fileName: 'PXL_1.MP.jpg.json' }, { fileName: 'PXL_2.MP.jpg.json' }],
  ).media;
  assert.deepEqual(result.get('IMG_2710.MOV'), { kind: 'fallback', rule: 'live-photo', sidecar: 'IMG_2710.HEIC.json' });
  assert.deepEqual(result.get('IMG_2710(1).MP4'), { kind: 'fallback', rule: 'live-photo', sidecar: 'IMG_2710.HEIC(1).json' });
  // IMG_3000.JPG is not in the folder: no pair, no guess.
  assert.equal(result.get('IMG_3000.MOV')!.rule, 'none');
  assert.equal(result.get('PXL_1.MP')!.rule, 'motion-photo');
  assert.equal(result.get('PXL_2.MP~2.jpg')!.sidecar, 'PXL_2.MP.jpg.json');
});

test('ambiguous fits are refused, unless an exact match or the JSON title settles them', () => {
  const a = 'Screenshot_20240101-120000_A_Really_Long_App_Na1.png';
  const b = 'Screenshot_20240101-120000_A_Really_Long_App_Na2.png';
  const cut = `${a.slice(0, 46)}.json`;
  const none = matchFolder([a, b], [{ fileName: cut }]);
  assert.equal(none.media.get(a)!.rule, 'none');
  assert.match(none.media.get(a)!.note!, /left unmatched/);
  assert.deepEqual(none.orphanSidecars, [cut]);
  const titled = matchFolder([a, b], [{ fileName: cut, title: 'Screenshot_20240101-120000_A_Really_Long_App_Na2_final.png' }]);
  assert.equal(titled.media.get(b)!.rule, 'truncated-name');
  assert.equal(titled.media.get(a)!.rule, 'none');
});

test('counts of one folder: matched, orphans', () => {
  const result = matchFolder(['a.jpg', 'b.jpg', 'c.jpg'], [{ fileName: 'a.jpg.json' }, { fileName: 'b.jpg.supplemental-metadata.json' }, { fileName: 'z.jpg.json' }]);
  assert.deepEqual([...result.media.values()].map((m) => m.kind), ['exact', 'exact', 'none']);
  assert.deepEqual(result.orphanSidecars, ['z.jpg.json']);
});

test('sidecar names parse into media name, counter, suffix state and cap', () => {
  assert.deepEqual(parseSidecarName('IMG.jpg.supplemental-metadata(2).json'), { fileName: 'IMG.jpg.supplemental-metadata(2).json', mediaName: 'IMG.jpg', counter: 2, supplemental: 'full', capped: false });
  assert.equal(parseSidecarName('IMG.jpg'), undefined);
  assert.equal(parseSidecarName('Backyard_ceremony_wedding_photography_xxxxxxx_(494).json')!.capped, true);
});
