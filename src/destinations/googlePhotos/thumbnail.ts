// A small rendition of a media item at its baseUrl: `=wS-hS-c` (cropped to S×S, a JPEG Google
// sizes for us; a video's baseUrl gives a frame). Library baseUrls are capability URLs valid an hour;
// an expired one is answered with 403, which the caller turns into a fresh batchGet.
import { GoogleApiError } from '../../google/errors';
import { MEDIA_BYTES_ENDPOINT, type GoogleHttp } from '../../google/http';
import { PICKER_SCOPES } from '../../google/scopes';
import { DownloadRefusedError, type RemoteItem } from '../../sync/provider';
import { PICKER_ADDRESS } from './mediaBytes';

/** Largest thumbnail accepted (a 256 px JPEG is ~20 KB). */
const MAX_BYTES = 4 * 1024 * 1024;

export async function fetchThumbnail(http: GoogleHttp, item: RemoteItem, size: number, signal?: AbortSignal): Promise<Uint8Array> {
  const address = item.download;
  if (!address) throw new Error(`Google gave no address for ${item.filename || item.id}.`);
  const side = Math.max(16, Math.min(2048, Math.round(size)));
  let response: Response;
  try {
    response = await http.send({
      method: 'GET',
      url: `${address.url}=w${side}-h${side}-c`,
      endpoint: MEDIA_BYTES_ENDPOINT,
      scopes: address.via === PICKER_ADDRESS ? PICKER_SCOPES : undefined,
      signal,
    });
  } catch (err) {
    if (err instanceof GoogleApiError && [403, 404, 410].includes(err.httpStatus)) {
      throw new DownloadRefusedError(err.httpStatus, err.httpStatus === 403 ? 'Google refused the thumbnail (its address expired)' : `Google has no thumbnail for ${item.filename || item.id} (${err.httpStatus})`);
    }
    throw err;
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length > MAX_BYTES) throw new Error('The thumbnail Google sent is too large');
  return bytes;
}
