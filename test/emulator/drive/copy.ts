// files.copy: "Creates a copy of a file and applies any requested updates with patch semantics"
// (discovery). A server-side copy: the bytes are not sent again, but the copy counts toward the
// user's storage. Inferred where the reference is silent: the copy is named "Copy of <name>" and
// sits beside the original unless the body says otherwise (as Drive's web UI does and its users
// report); it keeps the original's properties and this app's appProperties before the patch; a
// folder cannot be copied (403 cannotCopyFile).
import type { RequestContext } from '../context';
import type { Reply } from '../http';
import { fileFor, type DriveCaller } from './access';
import { DriveError } from './errors';
import type { DriveArgs } from './files';
import { fileReply } from './files';
import { createFile } from './mutate';
import { FOLDER_MIME } from './state';

const cannotCopy = (): DriveError => new DriveError(403, 'This file cannot be copied by the user.', [{ domain: 'global', reason: 'cannotCopyFile', message: 'This file cannot be copied by the user.' }]);

/** POST /drive/v3/files/{fileId}/copy */
export async function copyFile(ctx: RequestContext, caller: DriveCaller, { pathParams, query, body }: DriveArgs): Promise<Reply> {
  const source = fileFor(caller, pathParams.fileId);
  if (source.mimeType === FOLDER_MIME) throw cannotCopy();
  const bytes = caller.drive.bytesOf(source) ?? Buffer.alloc(0);
  const inherited = source.appProperties.get(caller.app.projectNumber) ?? {};
  const patch = (body.appProperties ?? {}) as Record<string, string | null>;
  const appProperties: Record<string, string | null> = { ...inherited, ...patch };
  for (const [k, v] of Object.entries(appProperties)) if (v === null) delete appProperties[k];
  const metadata: Record<string, unknown> = {
    name: `Copy of ${source.name}`,
    mimeType: source.mimeType,
    description: source.description,
    parents: source.parents.length ? [...source.parents] : undefined,
    properties: { ...source.properties },
    ...body,
    appProperties,
  };
  const file = await createFile(caller, metadata, { bytes, mimeType: source.mimeType });
  return fileReply(ctx, caller, file.id, query.get('fields'));
}
