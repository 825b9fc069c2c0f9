// Uploads to Flickr create the photo at once, and Flickr has neither checksums nor an idempotency
// key: a request whose answer was lost may have made a photo anyway. So every photo carries a machine
// tag with the sha256 of its bytes (photosync:sha256=…), each step is journaled on the upload's row
// (sending → ticket → created), and an upload whose outcome is unknown looks for its tag before
// sending the bytes again. Large files go up with async=1 and their tickets are followed. Then the
// date taken is set where Flickr had to guess it (no EXIF date: it uses the upload time).
import { readCaptureDate } from '../../metadata/captureDate';
import type { FlickrClient } from '../../flickr/client';
import { assertUnchanged, snapshotFile } from '../../localfs/fileSnapshot';
import type { LocalUpload, TransferJournal, TransferProgress } from '../../sync/provider';
import type { Logger } from '../../util/logger';
import { FlickrApiError } from '../../flickr/errors';
import { num, type FlickrApi } from './api';
import { ticketFailed, type TicketWatcher } from './tickets';

export const MACHINE_TAG_PREDICATE = 'photosync:sha256';
export const shaTag = (sha256: string): string => `${MACHINE_TAG_PREDICATE}=${sha256}`;

/** Who may see uploaded photos: a backup is private unless the user chose otherwise. */
export type FlickrPrivacy = 'private' | 'friends' | 'family' | 'friendsAndFamily' | 'public';

type Step = { phase: 'sending' } | { phase: 'ticket'; ticket: string } | { phase: 'created'; photoId: string };

export interface FlickrUploadOptions {
  /** Files at least this large go up with async=1. */
  asyncThreshold: number;
  privacy: FlickrPrivacy;
  journal?: TransferJournal;
  log: Logger;
}

function privacyFields(privacy: FlickrPrivacy): Record<string, string> {
  const friend = privacy === 'friends' || privacy === 'friendsAndFamily';
  const family = privacy === 'family' || privacy === 'friendsAndFamily';
  // hidden=2 keeps non-public photos out of public searches as well.
  return { is_public: privacy === 'public' ? '1' : '0', is_friend: friend ? '1' : '0', is_family: family ? '1' : '0', hidden: privacy === 'public' ? '1' : '2' };
}

/** "IMG_0001" for IMG_0001.JPG: Flickr shows the title, and keeps the format itself. */
export function titleOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}

export class FlickrUploads {
  /** Photos of this account that carry our tag, by sha256 (listed once per session, then kept up to date). */
  private tagged: Promise<Map<string, string>> | undefined;

  constructor(
    private readonly api: FlickrApi,
    private readonly client: FlickrClient,
    private readonly tickets: TicketWatcher,
    private readonly options: FlickrUploadOptions,
  ) {}

  /** Sends the file unless Flickr has its bytes already; returns the photo id. */
  async upload(file: LocalUpload, onProgress?: TransferProgress, signal?: AbortSignal): Promise<string> {
    const journal = this.options.journal;
    const step = parseStep(await journal?.load(file));
    let photoId = step?.phase === 'created' ? step.photoId : undefined;
    if (!photoId && step?.phase === 'ticket') photoId = await this.afterTicket(file, step.ticket, signal);
    // The last attempt's answer never came: the photo may exist. Look for its tag before sending again.
    if (!photoId && step?.phase === 'sending') photoId = await this.findTagged(file.sha256, signal);
    photoId ??= (await this.taggedPhotos(signal)).get(file.sha256);
    if (!photoId) photoId = await this.send(file, onProgress, signal);
    else this.options.log.info(`${file.fileName} is on Flickr already (photo ${photoId}); not sent again.`);
    await journal?.save(file, JSON.stringify({ phase: 'created', photoId } satisfies Step));
    await this.fixDateTaken(photoId, file, signal);
    (await this.taggedPhotos(signal)).set(file.sha256, photoId);
    await journal?.clear(file);
    return photoId;
  }

  /** A photo that no longer exists (deleted here or on Flickr's site) is not offered again for its bytes. */
  async forget(photoId: string): Promise<void> {
    const tagged = await this.tagged?.catch(() => undefined);
    for (const [sha, id] of tagged ?? []) if (id === photoId) tagged?.delete(sha);
  }

  private async send(file: LocalUpload, onProgress: TransferProgress | undefined, signal: AbortSignal | undefined): Promise<string> {
    const journal = this.options.journal;
    const before = await snapshotFile(file.path, { size: file.size, mtimeMs: file.mtimeMs });
    // Videos and large files go up asynchronously (upload.async.html): Flickr answers at once with a ticket.
    const async = file.size >= this.options.asyncThreshold || file.mimeType.startsWith('video/');
    const fields: Record<string, string> = {
      title: titleOf(file.fileName),
      ...(file.description ? { description: file.description } : {}),
      tags: shaTag(file.sha256),
      ...privacyFields(this.options.privacy),
      ...(async ? { async: '1' } : {}),
    };
    await journal?.save(file, JSON.stringify({ phase: 'sending' } satisfies Step));
    const answer = await this.client.upload(fields, { path: file.path, name: file.fileName, type: file.mimeType, size: file.size }, { signal, onProgress });
    // Bytes that changed while they were read are not the ones hashed: the caller hashes and sends again.
    await assertUnchanged(file.path, before);
    if (answer.kind === 'photo') return answer.photoId;
    await journal?.save(file, JSON.stringify({ phase: 'ticket', ticket: answer.ticketId } satisfies Step));
    const photoId = await this.afterTicket(file, answer.ticketId, signal);
    if (!photoId) throw ticketFailed(file.fileName, answer.ticketId);
    return photoId;
  }

  /** The photo a ticket came to; undefined (journal cleared) when Flickr does not know it and no tagged photo exists. */
  private async afterTicket(file: LocalUpload, ticket: string, signal: AbortSignal | undefined): Promise<string | undefined> {
    const outcome = await this.tickets.wait(ticket, signal);
    if (outcome.kind === 'photo') return outcome.photoId;
    await this.options.journal?.clear(file);
    if (outcome.kind === 'failed') throw ticketFailed(file.fileName, ticket);
    return this.findTagged(file.sha256, signal);
  }

  private async findTagged(sha256: string, signal: AbortSignal | undefined): Promise<string | undefined> {
    const page = await this.api.searchMachineTag(shaTag(sha256), 1, signal);
    return page.items[0]?.id;
  }

  /** Every photo of the account with our tag, listed 500 a call the first time an upload needs it. */
  private taggedPhotos(signal: AbortSignal | undefined): Promise<Map<string, string>> {
    this.tagged ??= (async () => {
      const found = new Map<string, string>();
      for (let page = 1, pages = 1; page <= pages; page++) {
        const result = await this.api.searchMachineTag(`${MACHINE_TAG_PREDICATE}=`, page, signal);
        pages = result.pages;
        for (const photo of result.items) {
          const sha = shaOfTags(photo.machine_tags);
          if (sha && !found.has(sha)) found.set(sha, photo.id);
        }
      }
      return found;
    })();
    const listing = this.tagged;
    // A failed listing is tried again by the next upload.
    listing.catch(() => {
      if (this.tagged === listing) this.tagged = undefined;
    });
    return listing;
  }

  /**
   * Flickr takes the date from EXIF DateTimeOriginal (else CreateDate); without one it uses the upload
   * time and says `takenunknown`. Then the date Photo Sync reads from the file name or its
   * modification time is set (photos.setDates, owner's local time as Flickr keeps it).
   */
  private async fixDateTaken(photoId: string, file: LocalUpload, signal: AbortSignal | undefined): Promise<void> {
    const local = await readCaptureDate(file.path, file.mtimeMs ?? Date.now());
    if (local.source === 'exif-original' || local.source === 'exif-create') return;
    const info = await this.api.info(photoId, signal);
    if (num(info.dates?.takenunknown) !== 1) return;
    const taken = local.local.replace('T', ' ');
    try {
      await this.api.setDateTaken(photoId, taken, signal);
      this.options.log.info(`${file.fileName}: Flickr found no date in the file; date taken set to ${taken} (from its ${local.source === 'filename' ? 'file name' : 'modification time'}).`);
    } catch (err) {
      // Flickr refused the date itself (errors 5 and 6): the photo stays, with Flickr's date.
      if (err instanceof FlickrApiError && (err.code === 5 || err.code === 6)) this.options.log.warn(`${file.fileName}: Flickr did not take the date ${taken} (${err.flickrMessage}).`);
      else throw err;
    }
  }
}

/** The sha256 in a photo's machine tags ("photosync:sha256=<hex> other:tag=x"). */
export function shaOfTags(machineTags: string | undefined): string | undefined {
  const m = /(?:^|\s)photosync:sha256=([0-9a-f]{64})(?:\s|$)/.exec(machineTags ?? '');
  return m?.[1];
}

function parseStep(text: string | undefined): Step | undefined {
  if (!text) return undefined;
  try {
    const s = JSON.parse(text) as Partial<Step> & { ticket?: unknown; photoId?: unknown };
    if (s.phase === 'sending') return { phase: 'sending' };
    if (s.phase === 'ticket' && typeof s.ticket === 'string') return { phase: 'ticket', ticket: s.ticket };
    if (s.phase === 'created' && typeof s.photoId === 'string') return { phase: 'created', photoId: s.photoId };
  } catch {
    // Another provider's state, or damaged: ignored.
  }
  return undefined;
}
