// The Takeout reading core: read parts, scan them (pass 1), describe media while streaming (pass 2).
export { readArchive, readArchives, detectArchiveFormat, type ArchiveFormat } from './readArchive';
export { scanTakeout, TakeoutIndexBuilder, type TakeoutScan, type MediaDescription, type ScanCounts } from './scan';
export { matchFolder, type MatchRule, type SidecarMatch, type SidecarCandidate, type FolderMatches } from './sidecarMatch';
export { parseSidecarName, parseMediaName, stripEditedSuffix, EDITED_SUFFIXES, type SidecarName } from './sidecarNames';
export { parseTakeoutJson, type MediaSidecar, type AlbumMetadata, type GeoPoint, type TakeoutJson } from './sidecarJson';
export { classifyFolder, photosRootOf, type FolderInfo, type FolderKind } from './folders';
export { safeEntryName, entryKindOf } from './entryNames';
export { DEFAULT_LIMITS } from './guards';
export { EntryDamagedError, type ArchiveEntry, type EntryKind, type ReadLimits, type ReadOptions, type ReadProblem, type ProblemReason } from './types';
