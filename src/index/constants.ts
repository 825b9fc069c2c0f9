/** File name inside the storage folder. */
export const INDEX_FILE_NAME = 'index.sqlite';

/** Upload tokens older than this are useless (Google: one day). */
export const UPLOAD_TOKEN_TTL_MS = 24 * 60 * 60 * 1000;
