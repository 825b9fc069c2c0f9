// The Takeout import's settings: the download layout and album links (`photoSync.download.*`, the same
// tree a download makes) and what is written back from the sidecars (`photoSync.takeout.writeMetadata`).
import type { Layout } from '../../localfs/layout';
import { parseDownloadSettings } from '../download/settings';
import { SETTING_TAKEOUT_WRITE_METADATA } from '../settingsText';

/**
 * missing: the sidecar's date, place and description go into a JPEG's EXIF (or an XMP sidecar for
 * other formats) where the file has none; overwrite: the sidecar wins (what was changed inside Google
 * Photos lives only there); off: files are stored exactly as they are in the archive.
 */
export type WriteMetadata = 'missing' | 'overwrite' | 'off';

export interface TakeoutSettings {
  layout: Layout;
  albumLinks: boolean;
  writeMetadata: WriteMetadata;
}

export function parseTakeoutSettings(get: (key: string) => unknown): { settings: TakeoutSettings; problems: string[] } {
  const { settings: download, problems } = parseDownloadSettings(get);
  const raw = get('takeout.writeMetadata');
  let writeMetadata: WriteMetadata = 'missing';
  if (raw === 'missing' || raw === 'overwrite' || raw === 'off') writeMetadata = raw;
  else if (raw !== undefined && raw !== null) problems.push(SETTING_TAKEOUT_WRITE_METADATA);
  return { settings: { layout: download.layout, albumLinks: download.albumLinks, writeMetadata }, problems };
}
