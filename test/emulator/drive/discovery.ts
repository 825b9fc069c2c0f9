import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bindMethods, type BoundMethod, type DiscoveryDocument } from '../validate';

/** The parts of Drive's discovery document beyond what ../validate reads. */
export interface DriveSchemaProperty {
  type?: string;
  format?: string;
  $ref?: string;
  items?: DriveSchemaProperty;
  properties?: Record<string, DriveSchemaProperty>;
  additionalProperties?: DriveSchemaProperty;
  description?: string;
  readOnly?: boolean;
}

export interface DriveDiscovery extends DiscoveryDocument {
  schemas: Record<string, { id: string; type: string; properties?: Record<string, DriveSchemaProperty> }>;
  resources: Record<string, { methods: Record<string, BoundMethod['method'] & { scopes?: string[]; parameters?: Record<string, { minimum?: string; maximum?: string }> }> }>;
}

/** Google's own Drive v3 discovery document (rev 20250829), kept beside the emulator like the Library one. */
export const DRIVE_DISCOVERY = JSON.parse(readFileSync(path.join(__dirname, '..', 'discovery', 'drive.v3.json'), 'utf8')) as DriveDiscovery;

/** Every method; literal paths ("files/generateIds", "files/trash") before templated ones ("files/{fileId}"). */
export const DRIVE_METHODS: BoundMethod[] = bindMethods(DRIVE_DISCOVERY).sort((a, b) => a.pathParamNames.length - b.pathParamNames.length);

/** Scopes a method accepts, from the document. */
export function methodScopes(name: string): string[] {
  const [resource, method] = name.split('.');
  return DRIVE_DISCOVERY.resources[resource]?.methods[method]?.scopes ?? [];
}

/** File fields an app may not set: the document marks them "Output only." (or readOnly). */
export const OUTPUT_ONLY_FILE_FIELDS = new Set(
  Object.entries(DRIVE_DISCOVERY.schemas.File.properties ?? {})
    .filter(([, p]) => p.readOnly || /^(Deprecated: )?Output only\./.test(p.description ?? ''))
    .map(([name]) => name),
);
