// Google Drive as a destination a sync folder can choose ("destination": "google-drive"). The same
// Google sign-in as Google Photos (photoSync.google), with drive.file asked for by incremental consent
// the first time a Drive folder syncs. Everything heavier than this (googleapis' Drive client) is
// loaded on first use.
import { DRIVE_SCOPES } from '../../google/scopes';
import type { DestinationKind } from '../factory';
import { DRIVE_QUOTA, PROVIDER_ID } from './rules';

export const googleDriveKind: DestinationKind = {
  id: PROVIDER_ID,
  displayName: 'Google Drive',
  authProviderId: 'photoSync.google',
  scopes: DRIVE_SCOPES,
  quota: DRIVE_QUOTA,
  async create(deps) {
    const { createGoogleDrive } = await import('./create.js');
    return createGoogleDrive(deps);
  },
};
