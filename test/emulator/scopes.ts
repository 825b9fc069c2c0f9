const BASE = 'https://www.googleapis.com/auth/';

export const SCOPE = {
  appendOnly: `${BASE}photoslibrary.appendonly`,
  readAppCreated: `${BASE}photoslibrary.readonly.appcreateddata`,
  editAppCreated: `${BASE}photoslibrary.edit.appcreateddata`,
  picker: `${BASE}photospicker.mediaitems.readonly`,
  /** Drive: only the files this app created (drive/). */
  driveFile: `${BASE}drive.file`,
  // Removed from the Library API on 2025-03-31: still grantable, but no method accepts them.
  library: `${BASE}photoslibrary`,
  libraryReadonly: `${BASE}photoslibrary.readonly`,
  librarySharing: `${BASE}photoslibrary.sharing`,
  userinfoEmail: `${BASE}userinfo.email`,
  userinfoProfile: `${BASE}userinfo.profile`,
} as const;

/** Scopes the consent screen accepts. Short forms are normalised as Google does. */
export const KNOWN_SCOPES = new Set<string>(['openid', 'email', 'profile', ...Object.values(SCOPE)]);

export function normaliseScope(scope: string): string {
  if (scope === SCOPE.userinfoEmail) return 'email';
  if (scope === SCOPE.userinfoProfile) return 'profile';
  return scope;
}

const IDENTITY = new Set(['openid', 'email', 'profile']);

/** Google exempts apps whose only scopes are name/email/profile/openid from the 7-day Testing expiry. */
export function onlyIdentityScopes(scopes: readonly string[]): boolean {
  return scopes.every((s) => IDENTITY.has(s));
}

/** Current (post-2025-03-31) scopes per Library method — reference §2.1. */
export const LIBRARY_METHOD_SCOPES: Record<string, readonly string[]> = {
  'albums.create': [SCOPE.appendOnly],
  'albums.list': [SCOPE.readAppCreated],
  'albums.get': [SCOPE.readAppCreated],
  'albums.patch': [SCOPE.editAppCreated],
  'albums.batchAddMediaItems': [SCOPE.appendOnly, SCOPE.editAppCreated],
  'albums.batchRemoveMediaItems': [SCOPE.editAppCreated],
  'albums.addEnrichment': [SCOPE.appendOnly, SCOPE.editAppCreated],
  'mediaItems.batchCreate': [SCOPE.appendOnly],
  'mediaItems.list': [SCOPE.readAppCreated],
  'mediaItems.search': [SCOPE.readAppCreated],
  'mediaItems.get': [SCOPE.readAppCreated],
  'mediaItems.batchGet': [SCOPE.readAppCreated],
  'mediaItems.patch': [SCOPE.editAppCreated],
  uploads: [SCOPE.appendOnly],
};
