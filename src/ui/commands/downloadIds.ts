// The download commands' ids: registered at activation, while their code (./downloadSteps.ts and the commands) loads on first use.
export const DOWNLOAD_COMMANDS = {
  pickFromGooglePhotos: 'photoSync.pickFromGooglePhotos',
  downloadAlbum: 'photoSync.downloadAlbum',
  downloadYear: 'photoSync.downloadYear',
  openInGooglePhotos: 'photoSync.openInGooglePhotos',
  removeFromAlbum: 'photoSync.removeFromAlbum',
  deleteFromGooglePhotos: 'photoSync.deleteFromGooglePhotos',
} as const;
