// The upload API answers in Flickr's REST XML only (upload.api.html, upload.async.html):
//   <rsp stat="ok"><photoid secret="…" originalsecret="…">123</photoid></rsp>
//   <rsp stat="ok"><ticketid>123-456</ticketid></rsp>          (async=1)
//   <rsp stat="fail"><err code="5" msg="Filetype was not recognised" /></rsp>
// parsed with @rgrove/parse-xml, loaded on the first upload.
import type * as ParseXml from '@rgrove/parse-xml';
import type { XmlElement } from '@rgrove/parse-xml';
import { FlickrApiError, FlickrHttpError } from './errors';

export type UploadAnswer = { kind: 'photo'; photoId: string } | { kind: 'ticket'; ticketId: string };

let parser: Promise<typeof ParseXml> | undefined;

export async function parseUploadAnswer(text: string): Promise<UploadAnswer> {
  const { parseXml, XmlElement: Element } = await (parser ??= import('@rgrove/parse-xml'));
  let root: XmlElement | null;
  try {
    root = parseXml(text).root;
  } catch {
    throw new FlickrHttpError('upload', 200, 'Flickr answered the upload with something that is not XML.');
  }
  if (!root || root.name !== 'rsp') throw new FlickrHttpError('upload', 200, 'Flickr answered the upload without a <rsp> element.');
  const child = (name: string) => root.children.find((c): c is XmlElement => c instanceof Element && c.name === name);
  if (root.attributes.stat !== 'ok') {
    const err = child('err');
    throw new FlickrApiError('upload', Number(err?.attributes.code ?? 0), err?.attributes.msg ?? 'no message');
  }
  const photo = child('photoid')?.text.trim();
  if (photo) return { kind: 'photo', photoId: photo };
  const ticket = child('ticketid')?.text.trim();
  if (ticket) return { kind: 'ticket', ticketId: ticket };
  throw new FlickrHttpError('upload', 200, 'Flickr accepted the upload but named neither a photo nor a ticket.');
}
