import type { Endpoints } from '../../src/google/endpoints';
import { seedLibrary, DEFAULT_LIBRARY_DIR } from './seed';
import { EmulatorServer, PATHS, type EmulatorOptions } from './server';
import { flickrEndpoints, type FlickrEndpoints } from './flickr/service';

export type { EmulatorOptions } from './server';
export type { FlickrEndpoints } from './flickr/service';
export { DEFAULT_FLICKR_API_KEY, DEFAULT_FLICKR_API_SECRET } from './flickr/state';
export { DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, OTHER_CLIENT_ID, OTHER_CLIENT_SECRET, WEB_CLIENT_ID, WEB_CLIENT_SECRET, PROJECT_NUMBER } from './state';

/**
 * The extension's endpoints plus Drive's root (googleapis `rootUrl` = drive + '/') and Flickr's, under
 * the `photoSync.endpoints` keys the extension reads (flickrOAuth, flickrRest, flickrUpload).
 */
export type EmulatorEndpoints = Endpoints & { drive: string; flickrOAuth: string; flickrRest: string; flickrUpload: string };

export interface RunningEmulator {
  endpoints: EmulatorEndpoints;
  /** The Flickr emulator's addresses (printed by the CLI as endpoints.flickr). */
  flickr: FlickrEndpoints;
  /** Base URL of the test-only control API (`{control}/state`, `/faults`, `/picker/<id>/pick`, `/reset`). */
  control: string;
  close(): Promise<void>;
}

/** Starts the Google emulator on 127.0.0.1 (port 0 = any free port). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const server = new EmulatorServer(options);
  await seedLibrary(server.state, options.libraryDir ?? DEFAULT_LIBRARY_DIR);
  await server.listen(options.port ?? 0);
  const o = server.origin;
  return {
    endpoints: {
      authorize: o + PATHS.authorize,
      token: o + PATHS.token,
      revoke: o + PATHS.revoke,
      userinfo: o + PATHS.userinfo,
      library: o + PATHS.library,
      picker: o + PATHS.picker,
      drive: o,
      flickrOAuth: flickrEndpoints(o).requestToken.replace(/\/request_token$/, ''),
      flickrRest: flickrEndpoints(o).rest,
      flickrUpload: flickrEndpoints(o).upload,
    },
    flickr: flickrEndpoints(o),
    control: o + PATHS.control,
    close: () => server.close(),
  };
}
