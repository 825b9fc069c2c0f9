import path from 'node:path';

/** Google's file-name limit (characters including the extension). */
export const MAX_FILE_NAME = 255;

/**
 * The file name sent to Google: control characters and path separators replaced (Google shows the
 * name as given and rejects some), trimmed, and shortened to 255 characters keeping the extension.
 */
export function uploadFileName(localName: string): string {
  // eslint-disable-next-line no-control-regex
  let name = localName.normalize('NFC').replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim();
  if (!name || name === '.' || name === '..') name = 'photo';
  const chars = Array.from(name);
  if (chars.length <= MAX_FILE_NAME) return name;
  const ext = Array.from(path.extname(name));
  const stem = chars.slice(0, chars.length - ext.length);
  return stem.slice(0, MAX_FILE_NAME - ext.length).join('') + ext.join('');
}

/** Renders `photoSync.upload.description` ({file}, {folder}, {path}); empty when not set. ≤ 999 characters. */
export function renderDescription(template: string | undefined, file: { name: string; rel: string }): string | undefined {
  if (!template?.trim()) return undefined;
  const dir = path.posix.dirname(file.rel);
  const text = template
    .replace(/\{file\}/g, file.name)
    .replace(/\{folder\}/g, dir === '.' ? '' : path.posix.basename(dir))
    .replace(/\{path\}/g, file.rel)
    .trim();
  const chars = Array.from(text);
  return chars.length ? chars.slice(0, 999).join('') : undefined;
}
