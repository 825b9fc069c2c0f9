// One `photoSync.endpoints.<key>` override, checked the same way for every service: a URL string,
// https — plain http only for a loopback host (the emulator), never for a real server.

/** The override as a URL, or undefined when the setting is unset; a clear error when it is unusable. */
export function endpointOverride(key: string, value: unknown): URL | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`Setting photoSync.endpoints.${key} must be a URL string.`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`Setting photoSync.endpoints.${key} is not a valid URL: "${value}".`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new Error(`Setting photoSync.endpoints.${key} must use https (plain http only for 127.0.0.1): "${value}".`);
  }
  return url;
}
