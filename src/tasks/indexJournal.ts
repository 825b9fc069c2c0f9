import type { JournalRow, PhotoIndex } from '../index/api';
import type { TaskJournal } from './api';

/**
 * The task journal kept in the index (table task_journal). Takes the index or a function opening it
 * on first use, so the queue can exist before the index is opened.
 */
export function createIndexJournal(source: PhotoIndex | (() => Promise<PhotoIndex>)): TaskJournal {
  const index = typeof source === 'function' ? source : async () => source;
  return {
    record: async (rows: readonly JournalRow[]) => (await index()).write((w) => w.tasks.upsert(rows)),
    unfinished: async () => (await index()).tasks.unfinished(),
    get: async (id: string) => (await index()).tasks.get(id),
    flush: async () => (await index()).flush(),
  };
}
