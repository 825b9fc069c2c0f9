// The bytes behind a media item's baseUrl. Photos are fetched with `=d` ("all the Exif metadata except
// the location metadata"), videos with `=dv` (a high quality transcode, never the uploaded file). A
// video is downloadable only once Google finished processing it: before that `=dv` fails, so it is
// not asked for. Library baseUrls are pre-signed and sent without a token; Picker baseUrls need the
// user's token with the Picker scope. Both expire after 60 minutes and are then answered with 403.
import { GoogleApiError } from '../../google/errors';
import { MEDIA_BYTES_ENDPOINT, type GoogleHttp } from '../../google/http';
import { PICKER_SCOPES } from '../../google/scopes';
import { DownloadRefusedError, ItemNotReadyError, type DownloadStream, type RemoteItem } from '../../sync/provider';

/** How long Google's baseUrls work ("Base URLs, lasting for 60 minutes"). */
export const BASE_URL_LIFETIME_MS = 60 * 60 * 1000;

/** `DownloadAddress.via` of baseUrls that come from the Picker and need the bearer token. */
export const PICKER_ADDRESS = 'picker';

export function isVideoItem(item: Pick<RemoteItem, 'kind' | 'mimeType'>): boolean {
  return item.kind === 'video' || (item.kind === undefined && item.mimeType.startsWith('video/'));
}

/** Throws ItemNotReadyError unless Google says the item's bytes can be fetched. */
export function assertReady(item: RemoteItem): void {
  if (item.status === 'processing') {
    throw new ItemNotReadyError('processing', `${item.filename || item.id} is still being processed by Google Photos (a new video); it is downloaded on a later run.`);
  }
  if (item.status === 'failed') {
    throw new ItemNotReadyError('failed', `Google Photos could not process ${item.filename || item.id}, so it offers no download for it.`);
  }
}

/** Opens the item's bytes at its baseUrl (`item.download`, which must be present). */
export async function openBaseUrl(http: GoogleHttp, item: RemoteItem, signal?: AbortSignal): Promise<DownloadStream> {
  assertReady(item);
  const address = item.download;
  if (!address) throw new Error(`Google gave no download address for ${item.filename || item.id}.`);
  const video = isVideoItem(item);
  let response: Response;
  try {
    response = await http.send({
      method: 'GET',
      url: `${address.url}${video ? '=dv' : '=d'}`,
      endpoint: MEDIA_BYTES_ENDPOINT,
      scopes: address.via === PICKER_ADDRESS ? PICKER_SCOPES : undefined,
      signal,
    });
  } catch (err) {
    if (err instanceof GoogleApiError && [403, 404, 410].includes(err.httpStatus)) {
      const what = err.httpStatus === 403 ? 'refused the download (403 Forbidden' : `has no download there (${err.httpStatus} Not Found`;
      throw new DownloadRefusedError(err.httpStatus, `Google ${what}) for ${item.filename || item.id}.`);
    }
    throw err;
  }
  if (!response.body) throw new Error(`Google sent no bytes for ${item.filename || item.id}.`);
  const length = response.headers.get('content-length');
  const size = length !== null && /^\d+$/.test(length) ? Number(length) : undefined;
  return { body: response.body, size, received: video ? 'transcoded' : 'without-location' };
}
