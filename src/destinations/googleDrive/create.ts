// Builds the Drive provider and its upload pipeline from the factory's deps (loaded on first use).
import { DRIVE_SCOPES } from '../../google/scopes';
import { loadMediaTypes } from '../../metadata/mediaTypes';
import { indexTransferJournal } from '../../sync/transferJournal';
import { pipelineFor } from '../build';
import { countingRequests, definedOnly, type Destination, type DestinationDeps } from '../factory';
import { createDriveApi } from './client';
import { DEFAULT_BASE_FOLDER_NAME, DriveFolders, type DriveStateStore } from './folders';
import { GoogleDriveProvider } from './provider';
import { DEFAULT_DRIVE_TRANSFER_SIZES, driveRules, PROVIDER_ID } from './rules';
import { DriveUploads, IdPool } from './upload';

export async function createGoogleDrive(deps: DestinationDeps): Promise<Destination> {
  const sizes = { ...DEFAULT_DRIVE_TRANSFER_SIZES, ...definedOnly({ resumableThreshold: deps.transfer?.resumableThreshold, chunkSize: deps.transfer?.chunkSize }) };
  const rules = driveRules(await loadMediaTypes(), sizes);
  const api = await createDriveApi({ tokenSource: deps.tokenSource, scopes: DRIVE_SCOPES, root: deps.endpoints.drive, onRequest: countingRequests(deps, rules), fetch: deps.fetch });
  const ids = new IdPool(api);
  const { index, accountId } = deps;
  const store: DriveStateStore = {
    get: (key) => index.destinationState.get(PROVIDER_ID, accountId, key),
    // Saved at once: a base folder made but forgotten would be made a second time.
    set: async (key, value) => {
      await index.write((w) => w.destinationState.set(PROVIDER_ID, accountId, key, value));
      await index.flush();
    },
  };
  const folderName = deps.driveFolderName?.trim() || DEFAULT_BASE_FOLDER_NAME;
  const folders = new DriveFolders(api, store, folderName, deps.log, (signal) => ids.next(signal));
  const uploads = new DriveUploads(api, ids, { ...sizes, recoveryDelayMs: deps.transfer?.recoveryDelayMs });
  const provider = new GoogleDriveProvider({
    api,
    rules,
    folders,
    uploads,
    transferJournal: indexTransferJournal(index, PROVIDER_ID, accountId),
    permanentDeletes: deps.permanentDeletes,
  });
  return { provider, pipeline: pipelineFor(provider, deps) };
}
