import type { FlickrPhoto, FlickrState, UploadTicket } from './state';

/** Adds an uploaded photo to its owner's photostream. */
export function storePhoto(fs: FlickrState, photo: FlickrPhoto, bytes: Buffer): void {
  fs.blobs.set(photo.sha256, bytes);
  fs.photos.set(photo.id, photo);
}

/**
 * Finishes async uploads whose processing time has passed (upload.async.html): the photo appears
 * then, or the ticket fails (complete=2) when a failure was scheduled for it.
 */
export function settleTickets(fs: FlickrState, nowMs: number): void {
  for (const t of fs.tickets.values()) {
    if (t.status !== 'pending' || t.completeAt > nowMs) continue;
    finish(fs, t, t.willFail ? 'failed' : 'complete');
  }
}

export function finish(fs: FlickrState, t: UploadTicket, status: 'complete' | 'failed'): void {
  if (status === 'complete' && t.pending) {
    storePhoto(fs, t.pending.photo, t.pending.bytes);
    t.photoId = t.pending.photo.id;
  }
  t.status = status;
  t.pending = undefined;
}
