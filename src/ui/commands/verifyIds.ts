// Verify Backup's command ids: registered at activation, while the commands' code (./verify.ts) loads on first use.
export const VERIFY_COMMANDS = {
  verify: 'photoSync.verify',
  continueVerify: 'photoSync.continueVerify',
  exportReport: 'photoSync.exportVerifyReport',
  reupload: 'photoSync.reuploadFinding',
  redownload: 'photoSync.redownloadFinding',
  reveal: 'photoSync.revealFinding',
  open: 'photoSync.openFindingInGooglePhotos',
  forget: 'photoSync.forgetFinding',
} as const;
