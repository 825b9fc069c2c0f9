/** Small fetch helpers for tests that talk to the emulator's Google APIs directly. */

export interface JsonResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export async function callJson<T = Record<string, unknown>>(url: string, token: string | undefined, method = 'GET', body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
  const res = await fetch(url, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = {};
  try {
    parsed = text === '' ? {} : JSON.parse(text);
  } catch {
    parsed = { text };
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** Raw upload (X-Goog-Upload-Protocol: raw); returns the upload token. */
export async function rawUpload(library: string, token: string, bytes: Uint8Array, fileName?: string, mimeType = 'image/jpeg'): Promise<string> {
  const res = await fetch(`${library}/v1/uploads`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/octet-stream',
      'X-Goog-Upload-Content-Type': mimeType,
      'X-Goog-Upload-Protocol': 'raw',
      ...(fileName ? { 'X-Goog-Upload-File-Name': encodeURIComponent(fileName) } : {}),
    },
    body: new Uint8Array(bytes),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`upload answered ${res.status}: ${text}`);
  return text;
}
