// A realistic Google Takeout export with every sidecar naming quirk the brief lists, split over two
// parts, plus what the scan must find for each media file. Shared by the reader tests, the importer
// tests and the benchmarks.
import type { TakeoutFile } from './takeoutArchive';

export const ROOT = 'Takeout/Google Photos';
export const YEAR = `${ROOT}/Photos from 2019`;
export const ALBUM = `${ROOT}/Amsterdam 2022`;

/** A media sidecar as Takeout writes it (epoch seconds as strings, 0,0 = no place). */
export function sidecarJson(fields: {
  title: string;
  taken?: number | string;
  created?: number;
  lat?: number;
  lon?: number;
  exifLat?: number;
  exifLon?: number;
  people?: string[];
  description?: string;
  trashed?: boolean;
}): string {
  const geo = (lat = 0, lon = 0) => ({ latitude: lat, longitude: lon, altitude: 0, latitudeSpan: 0, longitudeSpan: 0 });
  return JSON.stringify(
    {
      title: fields.title,
      description: fields.description ?? '',
      imageViews: '3',
      creationTime: { timestamp: String(fields.created ?? 1_600_000_000), formatted: 'ignored' },
      photoTakenTime: { timestamp: String(fields.taken ?? 1_556_000_000), formatted: 'ignored' },
      geoData: geo(fields.lat, fields.lon),
      geoDataExif: geo(fields.exifLat, fields.exifLon),
      people: (fields.people ?? []).map((name) => ({ name })),
      url: 'https://photos.google.com/photo/AF1QipExample',
      googlePhotosOrigin: { mobileUpload: { deviceFolder: { localFolderName: 'Camera' }, deviceType: 'ANDROID_PHONE' } },
      ...(fields.trashed ? { trashed: true } : {}),
    },
    null,
    2,
  );
}

/** Google's sidecar name: `<media>[.supplemental-metadata]` cut to 46 units, then `(n)`, then `.json`. */
export function googleSidecarName(mediaName: string, options: { supplemental?: boolean; counter?: number } = {}): string {
  const base = (options.supplemental ? `${mediaName}.supplemental-metadata` : mediaName).slice(0, 46);
  return `${base}${options.counter ? `(${options.counter})` : ''}.json`;
}

export interface Expectation {
  rule: string;
  /** Sidecar entry name, when matched. */
  sidecar?: string;
}

const LONG_STEM = 'Screenshot_20190405-123456_Some_Very_Long_App_Name_Here'; // 55 characters
const LONG_MEDIA = `${LONG_STEM.slice(0, 47)}.jpg`; // Takeout cuts the stem to 47
const SUPPL_MEDIA = 'PXL_20190101_123456789.PORTRAIT.jpg'; // 35: the suffix gets cut
const NFD_EDITED = 'IMG_0006-modifié.jpg'.normalize('NFD');
const NFD_SUMMER = 'Été à Paris.jpg'.normalize('NFD');

export function realisticTakeout(): { files: TakeoutFile[]; expected: Map<string, Expectation>; orphans: string[]; albumTitles: Map<string, string> } {
  const files: TakeoutFile[] = [];
  const expected = new Map<string, Expectation>();
  const media = (folder: string, name: string, part: number, rule: string, sidecar?: string) => {
    files.push({ name: `${folder}/${name}`, part });
    expected.set(`${folder}/${name}`.normalize('NFC'), { rule, sidecar: sidecar && `${folder}/${sidecar}`.normalize('NFC') });
  };
  const json = (folder: string, name: string, part: number, data: string) => files.push({ name: `${folder}/${name}`, part, data });

  // Photo in part 1, its sidecar in part 2 (immich-go #380).
  media(YEAR, 'IMG_0001.jpg', 0, 'exact', 'IMG_0001.jpg.json');
  json(YEAR, 'IMG_0001.jpg.json', 1, sidecarJson({ title: 'IMG_0001.jpg', taken: 1_556_000_000, lat: 52.37, lon: 4.89, people: ['Ann'] }));
  // iPhone live photo: the video half shares the still's supplemental sidecar.
  media(YEAR, 'IMG_0002.HEIC', 0, 'supplemental', 'IMG_0002.HEIC.supplemental-metadata.json');
  media(YEAR, 'IMG_0002.MOV', 1, 'live-photo', 'IMG_0002.HEIC.supplemental-metadata.json');
  json(YEAR, 'IMG_0002.HEIC.supplemental-metadata.json', 0, sidecarJson({ title: 'IMG_0002.HEIC', exifLat: 48.85, exifLon: 2.35, lat: 1, lon: 1 }));
  // Supplemental suffix cut by the 46-unit cap.
  const cut = googleSidecarName(SUPPL_MEDIA, { supplemental: true });
  media(YEAR, SUPPL_MEDIA, 0, 'supplemental-truncated', cut);
  json(YEAR, cut, 1, sidecarJson({ title: SUPPL_MEDIA }));
  // Same name twice in one folder: the counter moves to the end of the JSON name.
  media(YEAR, 'IMG_0004.jpg', 0, 'exact', 'IMG_0004.jpg.json');
  media(YEAR, 'IMG_0004(1).jpg', 0, 'duplicate-counter', 'IMG_0004.jpg(1).json');
  json(YEAR, 'IMG_0004.jpg.json', 0, sidecarJson({ title: 'IMG_0004.jpg', taken: 1_556_000_004 }));
  json(YEAR, 'IMG_0004.jpg(1).json', 1, sidecarJson({ title: 'IMG_0004.jpg', taken: 1_556_000_104 }));
  // …and with the supplemental form.
  media(YEAR, 'IMG_0007(1).HEIC', 1, 'duplicate-counter', 'IMG_0007.HEIC.supplemental-metadata(1).json');
  json(YEAR, 'IMG_0007.HEIC.supplemental-metadata(1).json', 1, sidecarJson({ title: 'IMG_0007.HEIC' }));
  // Edited copies have no sidecar of their own (English, and French in macOS NFD form).
  media(YEAR, 'IMG_0005.jpg', 0, 'exact', 'IMG_0005.jpg.json');
  media(YEAR, 'IMG_0005-edited.jpg', 1, 'edited-copy', 'IMG_0005.jpg.json');
  json(YEAR, 'IMG_0005.jpg.json', 0, sidecarJson({ title: 'IMG_0005.jpg' }));
  media(YEAR, 'IMG_0006.jpg', 0, 'exact', 'IMG_0006.jpg.json');
  media(YEAR, NFD_EDITED, 0, 'edited-copy', 'IMG_0006.jpg.json');
  json(YEAR, 'IMG_0006.jpg.json', 1, sidecarJson({ title: 'IMG_0006.jpg' }));
  // Long name: media stem cut to 47, JSON base to 46.
  media(YEAR, LONG_MEDIA, 0, 'truncated-name', `${LONG_STEM.slice(0, 46)}.json`);
  json(YEAR, `${LONG_STEM.slice(0, 46)}.json`, 1, sidecarJson({ title: `${LONG_STEM}.jpg` }));
  // Pixel motion photo exported as `.MP` with a `.MP.jpg` sidecar.
  media(YEAR, 'PXL_20231118_035751175.MP', 0, 'motion-photo', 'PXL_20231118_035751175.MP.jpg.json');
  json(YEAR, 'PXL_20231118_035751175.MP.jpg.json', 0, sidecarJson({ title: 'PXL_20231118_035751175.MP.jpg' }));
  // Unicode: the archive stores NFD (macOS), the sidecar NFC.
  media(YEAR, NFD_SUMMER, 1, 'exact', 'Été à Paris.jpg.json');
  json(YEAR, 'Été à Paris.jpg.json', 0, sidecarJson({ title: 'Été à Paris.jpg' }));
  // Sidecar without the media extension.
  media(YEAR, 'IMG_0010.jpg', 0, 'without-extension', 'IMG_0010.json');
  json(YEAR, 'IMG_0010.json', 0, sidecarJson({ title: 'IMG_0010.jpg' }));
  // Broken JSON still pairs (so the photo is not "missing" one) but gives no metadata.
  media(YEAR, 'IMG_0011.jpg', 0, 'exact', 'IMG_0011.jpg.json');
  json(YEAR, 'IMG_0011.jpg.json', 0, '{"title": "IMG_0011.jpg", "photoTakenTime": {');
  // Capture time 0 = unknown: reported, not used.
  media(YEAR, 'IMG_0012.jpg', 1, 'exact', 'IMG_0012.jpg.json');
  json(YEAR, 'IMG_0012.jpg.json', 1, sidecarJson({ title: 'IMG_0012.jpg', taken: 0 }));
  // Messenger image without any JSON, and a JSON whose photo is not in the export.
  media(YEAR, 'received_1234567890.jpeg', 1, 'none');
  json(YEAR, 'IMG_9999.jpg.json', 1, sidecarJson({ title: 'IMG_9999.jpg' }));

  // The same photo again in an album folder (with its own copy of the sidecar), in the other part.
  media(ALBUM, 'IMG_0001.jpg', 1, 'exact', 'IMG_0001.jpg.json');
  json(ALBUM, 'IMG_0001.jpg.json', 1, sidecarJson({ title: 'IMG_0001.jpg', taken: 1_556_000_000, lat: 52.37, lon: 4.89, people: ['Ann'] }));
  json(ALBUM, 'metadata.json', 0, JSON.stringify({ title: 'Amsterdam 2022', description: 'Canals', access: 'protected', date: { timestamp: '1656000000' } }));
  // A French export's album JSON name, and an untitled album.
  media(`${ROOT}/Vacances`, 'IMG_0020.jpg', 0, 'exact', 'IMG_0020.jpg.json');
  json(`${ROOT}/Vacances`, 'IMG_0020.jpg.json', 0, sidecarJson({ title: 'IMG_0020.jpg' }));
  json(`${ROOT}/Vacances`, 'métadonnées.json', 1, JSON.stringify({ albumData: { title: "Vacances d'été" } }));
  media(`${ROOT}/Untitled(1)`, 'IMG_0021.jpg', 1, 'none');
  // The trash: kept apart, flagged in the JSON.
  media(`${ROOT}/Trash`, 'IMG_0030.jpg', 0, 'exact', 'IMG_0030.jpg.json');
  json(`${ROOT}/Trash`, 'IMG_0030.jpg.json', 0, sidecarJson({ title: 'IMG_0030.jpg', trashed: true }));
  // Not Google Photos at all.
  files.push({ name: 'Takeout/archive_browser.html', data: '<html></html>', part: 0 });

  const albumTitles = new Map([
    [ALBUM, 'Amsterdam 2022'],
    [`${ROOT}/Vacances`, "Vacances d'été"],
    [`${ROOT}/Untitled(1)`, 'Untitled(1)'],
  ]);
  return { files, expected, orphans: [`${YEAR}/IMG_9999.jpg.json`], albumTitles };
}
