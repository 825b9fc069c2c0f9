// photo-sync upload <folder>: one folder into one album (named after the folder, or --album NAME),
// or one album per sub-folder (--album-per-folder), without adding it to the sync folders — what
// "Upload Folder to Google Photos…" does in VS Code.
import fs from 'node:fs';
import path from 'node:path';
import { cleanTitle, MAX_ALBUM_TITLE } from '../../sync/albums';
import { DEFAULT_DESTINATION, DEFAULT_EXCLUDE_FOLDERS, DEFAULT_MERGE_FOLDERS, type AlbumRule, type SyncFolder } from '../../sync/config';
import { defineCommand } from '../command';
import { CliError, EXIT } from '../exit';
import { runFolders } from '../run';
import { runOptions, type RunOptions } from './options';

interface UploadOptions extends RunOptions {
  album?: string;
  albumPerFolder?: boolean;
}

export default defineCommand<UploadOptions>({
  name: 'upload',
  arguments: '<folder>',
  summary: 'Upload one folder to an album (named after the folder, or --album NAME)',
  description:
    'Uploads the photos and videos of a folder and its sub-folders into one album — named after the folder unless --album\n' +
    'names it — or, with --album-per-folder, one album per sub-folder. Albums are created once and reused; content already\n' +
    'uploaded is only added to the album. The folder is not added to the sync folders.',
  configure: (c) => runOptions(c.option('-a, --album <name>', 'the album to upload into (created if new)').option('--album-per-folder', 'one album per sub-folder, named after it')),
  examples: ['photo-sync upload ~/Pictures/Trip', 'photo-sync upload ~/Pictures/Trip --album "Italy 2024"', 'photo-sync upload /srv/scans --album-per-folder --dry-run'],
  async run(cli, [given], options) {
    const folderPath = path.resolve(String(given));
    const stat = fs.statSync(folderPath, { throwIfNoEntry: false });
    if (!stat) throw new CliError(EXIT.usage, `${folderPath} does not exist.`);
    if (!stat.isDirectory()) throw new CliError(EXIT.usage, `${folderPath} is not a folder.`);
    if (options.album !== undefined && options.albumPerFolder) throw new CliError(EXIT.usage, 'Give --album NAME or --album-per-folder, not both.');
    if (options.album !== undefined && (!options.album.trim() || Array.from(options.album.trim()).length > MAX_ALBUM_TITLE)) {
      throw new CliError(EXIT.usage, `--album needs a name of 1 to ${MAX_ALBUM_TITLE} characters.`);
    }
    const name = path.basename(folderPath) || folderPath;
    const album: AlbumRule = options.albumPerFolder ? { mode: 'subfolders' } : { mode: 'fixed', name: cleanTitle(options.album ?? name, 'Photos') };
    const folder: SyncFolder = {
      path: folderPath,
      destination: DEFAULT_DESTINATION,
      album,
      include: [],
      exclude: [],
      excludeFolders: [...DEFAULT_EXCLUDE_FOLDERS],
      mergeFolders: [...DEFAULT_MERGE_FOLDERS],
      afterUpload: 'keep',
    };
    return runFolders(cli, {
      folders: [folder],
      dryRun: options.dryRun ?? false,
      resumeUnfinished: false,
      concurrency: options.concurrency,
      title: (destination) => (album.mode === 'fixed' ? `Uploading ${name} to “${album.name}”` : `Uploading ${name} to ${destination}`),
    });
  },
});
