// The download settings (`photoSync.download.*`, `photoSync.picker.maxItemCount`), parsed defensively:
// a bad value is reported and replaced by its default, never guessed.
import { compileLayout, LayoutError, MONTH_LAYOUT, type Layout } from '../../localfs/layout';
import { englishReason } from '../reasonText';
import { SETTING_DOWNLOAD_LAYOUT, SETTING_DOWNLOAD_SIDECAR } from '../settingsText';

export type SidecarFormat = 'none' | 'xmp' | 'json';

export interface ExifSettings {
  /** Written into every downloaded JPEG when set. */
  artist?: string;
  copyright?: string;
  /** Drop the Software tag (the app that last saved the photo), as seed 003 does. */
  removeSoftware: boolean;
  /** Add DateTimeOriginal from the service's capture time where the photo has none. */
  addDateTimeOriginal: boolean;
}

export interface DownloadSettings {
  /** Where each file goes below the download folder. */
  layout: Layout;
  /** Album downloads also get `albums/{yyyy}/{mm} {album}/` entries pointing at the stored files. */
  albumLinks: boolean;
  exif: ExifSettings;
  /** A sidecar with what the service knows, for files whose own metadata is not written (not JPEG). */
  sidecar: SidecarFormat;
  /** Also write the sidecar beside JPEGs. */
  sidecarForJpeg: boolean;
}

export const DEFAULT_MAX_PICKER_ITEMS = 2000;

export const DEFAULT_DOWNLOAD_SETTINGS: DownloadSettings = {
  layout: compileLayout(MONTH_LAYOUT),
  albumLinks: true,
  exif: { removeSoftware: false, addDateTimeOriginal: false },
  sidecar: 'xmp',
  sidecarForJpeg: false,
};

/** True when any EXIF edit is asked for (otherwise a JPEG keeps the bytes Google sent). */
export function editsExif(exif: ExifSettings): boolean {
  return Boolean(exif.artist?.trim() || exif.copyright?.trim() || exif.removeSoftware || exif.addDateTimeOriginal);
}

/** Reads the settings from `get(key)` (keys below `photoSync.`); problems name the setting and what was used instead. */
export function parseDownloadSettings(get: (key: string) => unknown): { settings: DownloadSettings; problems: string[] } {
  const problems: string[] = [];
  const d = DEFAULT_DOWNLOAD_SETTINGS;
  let layout = d.layout;
  const rawLayout = get('download.layout');
  if (typeof rawLayout === 'string' && rawLayout.trim()) {
    try {
      layout = compileLayout(rawLayout);
    } catch (err) {
      if (!(err instanceof LayoutError)) throw err;
      problems.push(englishReason(SETTING_DOWNLOAD_LAYOUT, err.message, MONTH_LAYOUT));
    }
  }
  const bool = (key: string, fallback: boolean) => {
    const v = get(key);
    return typeof v === 'boolean' ? v : fallback;
  };
  const text = (key: string) => {
    const v = get(key);
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  const rawSidecar = get('download.sidecar');
  let sidecar = d.sidecar;
  if (rawSidecar === 'none' || rawSidecar === 'xmp' || rawSidecar === 'json') sidecar = rawSidecar;
  else if (rawSidecar !== undefined && rawSidecar !== null) problems.push(englishReason(SETTING_DOWNLOAD_SIDECAR, d.sidecar));
  return {
    settings: {
      layout,
      albumLinks: bool('download.albumLinks', d.albumLinks),
      exif: {
        artist: text('download.exif.artist'),
        copyright: text('download.exif.copyright'),
        removeSoftware: bool('download.exif.removeSoftware', d.exif.removeSoftware),
        addDateTimeOriginal: bool('download.exif.addDateTimeOriginal', d.exif.addDateTimeOriginal),
      },
      sidecar,
      sidecarForJpeg: bool('download.sidecarForJpeg', d.sidecarForJpeg),
    },
    problems,
  };
}

/** `photoSync.picker.maxItemCount`, kept within Google's 1…2000. */
export function parseMaxPickerItems(raw: unknown): number {
  const n = typeof raw === 'number' && Number.isFinite(raw) ? Math.floor(raw) : DEFAULT_MAX_PICKER_ITEMS;
  return Math.min(DEFAULT_MAX_PICKER_ITEMS, Math.max(1, n));
}
