import { failedPrecondition, invalidArgument, notFound } from './http';
import type { EmulatorState, MediaItemRecord, PickerSessionRecord } from './state';

/** Everything in a user's Google Photos library (seeded files and anything uploaded), newest first. */
export function libraryOf(state: EmulatorState, userSub: string): MediaItemRecord[] {
  return [...state.mediaItems.values()].filter((m) => m.userSub === userSub).sort((a, b) => b.creationTime - a.creationTime);
}

export function liveSession(state: EmulatorState, sessionId: string): PickerSessionRecord | undefined {
  const s = state.pickerSessions.get(sessionId);
  if (!s || s.deleted || s.expireTime <= state.clock.now()) return undefined;
  return s;
}

/** The user pressed Done with these items selected (from the picker page or the control API). */
export function pickItems(state: EmulatorState, sessionId: string, ids: string[]): PickerSessionRecord {
  const session = liveSession(state, sessionId);
  if (!session) throw notFound(`Picking session ${sessionId} was not found or has expired.`);
  if (session.mediaItemsSet) throw failedPrecondition('Picking for this session is already complete; create a new session to pick more.');
  const unique = [...new Set(ids)];
  if (unique.length > session.maxItemCount) throw invalidArgument(`At most ${session.maxItemCount} items can be picked in this session.`);
  for (const id of unique) {
    const item = state.mediaItems.get(id);
    if (!item || item.userSub !== session.userSub) throw notFound(`Media item ${id} is not in this user's library.`);
  }
  session.pickedIds = unique;
  session.mediaItemsSet = true;
  return session;
}
