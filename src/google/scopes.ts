const BASE = 'https://www.googleapis.com/auth/';

/** OAuth scopes that still work since 2025-03-31 (see shared/reference/google-photos-api.md §1). */
export const Scopes = {
  appendOnly: `${BASE}photoslibrary.appendonly`,
  readAppCreated: `${BASE}photoslibrary.readonly.appcreateddata`,
  editAppCreated: `${BASE}photoslibrary.edit.appcreateddata`,
  picker: `${BASE}photospicker.mediaitems.readonly`,
  /** Google Drive, only the files this app created (non-sensitive: no restricted-scope review). */
  driveFile: `${BASE}drive.file`,
  openid: 'openid',
  email: 'email',
} as const;

/** Asked for at sign-in. */
export const SIGN_IN_SCOPES: readonly string[] = [Scopes.openid, Scopes.email, Scopes.appendOnly, Scopes.readAppCreated, Scopes.editAppCreated];

/** Asked for incrementally the first time the Picker is used. */
export const PICKER_SCOPES: readonly string[] = [Scopes.picker];

/** Asked for incrementally the first time a folder syncs to Google Drive. */
export const DRIVE_SCOPES: readonly string[] = [Scopes.driveFile];
