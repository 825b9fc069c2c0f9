import { parseGoogleError } from '../google/errors';
import { AuthError, toAuthError } from './authError';

/** The account behind a token: `sub` is the stable id, the email labels it in the Accounts menu. */
export async function fetchUserInfo(url: string, accessToken: string): Promise<{ id: string; email?: string }> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { Authorization: `Bearer ${accessToken}` }, signal: AbortSignal.timeout(30_000) });
  } catch (err) {
    throw toAuthError(err) ?? new AuthError('network', 'Could not fetch the account details.', { code: 'userinfo' }, { cause: err });
  }
  const body = await res.text();
  if (!res.ok) {
    const apiError = parseGoogleError(res.status, body);
    throw toAuthError(apiError) ?? new AuthError('unknown', `The account details could not be read (HTTP ${res.status}).`, { code: `userinfo ${res.status}` });
  }
  const info = JSON.parse(body) as { sub?: unknown; email?: unknown };
  if (typeof info.sub !== 'string') throw new AuthError('unknown', 'The account details carried no account id.', { code: 'userinfo' });
  return typeof info.email === 'string' ? { id: info.sub, email: info.email } : { id: info.sub };
}
