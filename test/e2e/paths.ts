// Where things are, for the end-to-end harness and its helpers.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const ARTIFACTS_DIR = path.join(__dirname, 'artifacts');
export const EXTENSION_ID = 'photo-sync.photo-sync';

/** Every file under `dir`, recursively ([] if it does not exist). */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}
