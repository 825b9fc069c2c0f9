/** File name inside the storage folder. */
export const INDEX_FILE_NAME = 'index.sqlite';
