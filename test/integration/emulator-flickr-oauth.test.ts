// Flickr's OAuth 1.0a as the emulator serves it, driven by a client that signs with the
// independent `oauth-1.0a` package: sign-in (loopback, oob, deny) and every way a signature fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import OAuth from 'oauth-1.0a';
import { startEmulator, type RunningEmulator } from '../emulator/index';
import { FlickrControl } from '../emulator/flickr/client';
import { loopbackServer } from '../emulator/sign-in';
import { completeFlickrAuthorize, FlickrTestClient, signInFlickr } from '../emulator/flickr/test-client';
import { DEFAULT_FLICKR_API_KEY, DEFAULT_FLICKR_API_SECRET } from '../emulator/flickr/state';

async function withEmulator(fn: (emu: RunningEmulator, control: FlickrControl) => Promise<void>): Promise<void> {
  const emu = await startEmulator({ libraryDir: 'test/fixtures/photos' });
  try {
    await fn(emu, new FlickrControl(emu.control));
  } finally {
    await emu.close();
  }
}

type Fail = { stat: string; code: number; message: string };

test('sign-in with Allow: loopback callback, access token with user_nsid, username and fullname', () =>
  withEmulator(async (emu, control) => {
    const client = new FlickrTestClient(emu.flickr);
    const fields = await signInFlickr(client, 'write');
    assert.deepEqual([...fields.keys()], ['fullname', 'oauth_token', 'oauth_token_secret', 'user_nsid', 'username']);
    assert.equal(fields.get('user_nsid'), '190012345@N07');
    assert.equal(fields.get('username'), 'photo.sync.tester');
    assert.equal(fields.get('fullname'), 'Alex Tester');
    assert.match(fields.get('oauth_token') ?? '', /^72157\d{12}-[0-9a-f]{16}$/);
    assert.match(fields.get('oauth_token_secret') ?? '', /^[0-9a-f]{16}$/);

    const login = await client.rest<{ user: { id: string; username: { _content: string } }; stat: string }>('flickr.test.login');
    assert.equal(login.body.stat, 'ok');
    assert.equal(login.body.user.id, '190012345@N07');
    assert.equal(login.body.user.username._content, 'photo.sync.tester');

    const state = await control.state();
    assert.deepEqual(state.tokens.map((t) => [t.nsid, t.perms, t.revoked]), [['190012345@N07', 'write', false]]);
    assert.equal(state.requestTokens[0].state, 'used');
    assert.deepEqual(state.requestCounts['oauth.access_token'], { ok: 1, fail: 0 });
    assert.deepEqual(state.requestCounts['flickr.test.login'], { ok: 1, fail: 0 });

    // A request token is good for one exchange only.
    const again = await client.get(emu.flickr.requestToken, { oauth_callback: 'oob' }, null);
    assert.match(again.text, /^oauth_callback_confirmed=true&oauth_token=[^&]+&oauth_token_secret=[0-9a-f]{16}$/);
  }));

test('sign-in with Deny: no callback, and the request token is refused at access_token', () =>
  withEmulator(async (emu, control) => {
    const client = new FlickrTestClient(emu.flickr);
    const loop = await loopbackServer();
    try {
      const request = await client.requestToken(`${loop.redirectUri}/cb`);
      const outcome = await completeFlickrAuthorize(client.authorizeUrl(request, 'delete'), { deny: true });
      assert.equal(outcome.kind, 'denied');
      const called = await Promise.race([loop.result.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 300))]);
      assert.equal(called, false, 'the app must not be called back after Deny');
      const res = await client.accessToken(request, 'anything');
      assert.equal(res.status, 401);
      assert.equal(res.text, 'oauth_problem=token_rejected');
      const state = await control.state();
      assert.equal(state.requestTokens[0].state, 'denied');
      assert.deepEqual(state.tokens, []);
    } finally {
      loop.close();
    }
  }));

test('oob: the page shows a 123-456-789 code; a wrong verifier is verifier_invalid, the right one works', () =>
  withEmulator(async (emu, control) => {
    const client = new FlickrTestClient(emu.flickr);
    const request = await client.requestToken('oob');
    const outcome = await completeFlickrAuthorize(client.authorizeUrl(request, 'read'), { nsid: '190067890@N07' });
    assert.equal(outcome.kind, 'oob');
    const verifier = outcome.kind === 'oob' ? outcome.verifier : '';
    assert.match(verifier, /^\d{3}-\d{3}-\d{3}$/);
    const wrong = await client.accessToken(request, '000-000-000');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.text, 'oauth_problem=verifier_invalid');
    const right = await client.accessToken(request, verifier);
    assert.equal(right.status, 200);
    assert.equal(new URLSearchParams(right.text).get('user_nsid'), '190067890@N07');
    assert.equal((await control.state()).tokens[0].perms, 'read');
  }));

test('the authorize page refuses a missing perms or an unknown token with Flickr\'s "Oops" messages', () =>
  withEmulator(async (emu) => {
    const client = new FlickrTestClient(emu.flickr);
    const request = await client.requestToken('oob');
    const noPerms = await (await fetch(`${emu.flickr.authorize}?oauth_token=${request.key}`)).text();
    assert.match(noPerms, /Flickr doesn&#39;t recognise the permission set\./);
    const unknown = await (await fetch(`${emu.flickr.authorize}?oauth_token=72157000000000000-0000000000000000&perms=read`)).text();
    assert.match(unknown, /Flickr doesn&#39;t recognise the &quot;oauth_token&quot; this application is trying to use\./);
  }));

test('arguments with Unicode, spaces and ~ + * % round-trip through signed GET and POST', () =>
  withEmulator(async (emu) => {
    const client = new FlickrTestClient(emu.flickr);
    await signInFlickr(client, 'read');
    const tricky = 'Ünïcødé 📷 ~ + * % 100% a+b=c&d "q" \'s\' (x) !';
    for (const http of ['GET', 'POST'] as const) {
      const echo = await client.rest<Record<string, { _content: string }> & { stat: string }>('flickr.test.echo', { title: tricky, 'naïve key': 'sp ace' }, http);
      assert.equal(echo.body.stat, 'ok', echo.text);
      assert.equal(echo.body.title._content, tricky);
      assert.equal(echo.body['naïve key']._content, 'sp ace');
    }
  }));

test('a wrong signature is 401 signature_invalid with Flickr\'s debug_sbs, counted as a failure, changing nothing', () =>
  withEmulator(async (emu, control) => {
    const good = new FlickrTestClient(emu.flickr);
    await signInFlickr(good, 'write');
    const [photoId] = await control.addSitePhotos(1);
    const bad = new FlickrTestClient(emu.flickr, { key: DEFAULT_FLICKR_API_KEY, secret: '0000000000000000' });
    bad.token = good.token;
    const res = await bad.rest('flickr.photos.setMeta', { photo_id: photoId, title: 'changed' }, 'POST');
    assert.equal(res.status, 401);
    const m = /^oauth_problem=signature_invalid&debug_sbs=(.*)$/s.exec(res.text);
    assert.ok(m, res.text);
    // The emulator's base string is byte for byte the one oauth-1.0a signed.
    const params = Object.fromEntries(new URLSearchParams(decodeURIComponent(m[1].split('&')[2])));
    const lib = new OAuth({ consumer: bad.consumer, signature_method: 'HMAC-SHA1', hash_function: (b, k) => createHmac('sha1', k).update(b).digest('base64') });
    const oauthData = Object.fromEntries(Object.entries(params).filter(([k]) => k.startsWith('oauth_'))) as unknown as OAuth.Data;
    const data = Object.fromEntries(Object.entries(params).filter(([k]) => !k.startsWith('oauth_')));
    assert.equal(m[1], lib.getBaseString({ url: emu.flickr.rest, method: 'POST', data }, oauthData));

    const state = await control.state();
    assert.equal(state.photos.find((p) => p.id === photoId)?.title, 'Uploaded on the website 1');
    assert.deepEqual(state.requestCounts['flickr.photos.setMeta'], { ok: 0, fail: 1 });

    // The control API's forced failure answers the same way even for a good signature, once.
    await control.faults({ type: 'signatureInvalid', times: 1 });
    assert.match((await good.rest('flickr.test.login')).text, /^oauth_problem=signature_invalid&debug_sbs=GET&/);
    assert.equal((await good.rest<{ stat: string }>('flickr.test.login')).body.stat, 'ok');
  }));

test("photoSync's bug: the base64 signature sent raw in a query fails exactly when it holds a '+'", () =>
  withEmulator(async (emu) => {
    const client = new FlickrTestClient(emu.flickr);
    const send = async (wantPlus: boolean): Promise<string> => {
      for (let i = 0; i < 500; i++) {
        const signed = client.sign('GET', emu.flickr.requestToken, { oauth_callback: 'oob' }, null);
        if (signed.oauth_signature.includes('+') !== wantPlus) continue;
        // helper.py: url + "?" + encoded params + "&oauth_signature=" + the raw base64.
        const rest = Object.entries(signed).filter(([k]) => k !== 'oauth_signature').map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
        return (await fetch(`${emu.flickr.requestToken}?${rest.join('&')}&oauth_signature=${signed.oauth_signature}`)).text();
      }
      throw new Error('no signature of the wanted kind in 500 tries');
    };
    assert.match(await send(true), /^oauth_problem=signature_invalid&debug_sbs=/);
    assert.match(await send(false), /^oauth_callback_confirmed=true&/);
  }));

test('timestamps: seconds with a fraction pass, milliseconds and a clock 10 minutes off are timestamp_refused; a replayed nonce is nonce_used', () =>
  withEmulator(async (emu) => {
    const client = new FlickrTestClient(emu.flickr);
    await signInFlickr(client, 'read');
    const ok = await client.rest<{ stat: string }>('flickr.test.login');
    assert.equal(ok.body.stat, 'ok');

    client.clockOffsetMs = -10 * 60 * 1000;
    const late = await client.rest('flickr.test.login');
    assert.equal(late.status, 401);
    assert.equal(late.text, 'oauth_problem=timestamp_refused');
    client.clockOffsetMs = 0;

    const url = emu.flickr.rest;
    const at = (stamp: string): string => {
      const lib = new OAuth({ consumer: client.consumer, signature_method: 'HMAC-SHA1', hash_function: (b, k) => createHmac('sha1', k).update(b).digest('base64') });
      lib.getTimeStamp = () => stamp as unknown as number;
      const data = { method: 'flickr.test.login', format: 'json', nojsoncallback: '1' };
      const auth = lib.authorize({ url, method: 'GET', data }, client.token);
      return `${url}?${new URLSearchParams({ ...data, ...(auth as unknown as Record<string, string>) })}`;
    };
    const fractional = await fetch(at((Date.now() / 1000).toFixed(6)));
    assert.equal(((await fractional.json()) as { stat: string }).stat, 'ok');
    const millis = await fetch(at(String(Date.now())));
    assert.equal(await millis.text(), 'oauth_problem=timestamp_refused');

    const once = at(String(Math.floor(Date.now() / 1000)));
    assert.equal(((await (await fetch(once)).json()) as { stat: string }).stat, 'ok');
    const replay = await fetch(once);
    assert.equal(replay.status, 401);
    assert.equal(await replay.text(), 'oauth_problem=nonce_used');
  }));

test('revoked token → 98, too few perms → 99 with Flickr\'s wording, unknown key → 100 / consumer_key_unknown', () =>
  withEmulator(async (emu, control) => {
    const reader = new FlickrTestClient(emu.flickr);
    await signInFlickr(reader, 'read');
    const [photoId] = await control.addSitePhotos(1);
    const write = await reader.rest<Fail>('flickr.photos.setMeta', { photo_id: photoId, title: 'x' }, 'POST');
    assert.equal(write.status, 200);
    assert.deepEqual(write.body, { stat: 'fail', code: 99, message: 'Insufficient permissions. Method requires write privileges; read granted.' });

    const writer = new FlickrTestClient(emu.flickr);
    await signInFlickr(writer, 'write');
    const del = await writer.rest<Fail>('flickr.photos.delete', { photo_id: photoId }, 'POST');
    assert.equal(del.body.message, 'Insufficient permissions. Method requires delete privileges; write granted.');

    const unsigned = await (await fetch(`${emu.flickr.rest}?method=flickr.test.login&format=json&nojsoncallback=1&api_key=${DEFAULT_FLICKR_API_KEY}`)).json();
    assert.deepEqual(unsigned, { stat: 'fail', code: 99, message: 'Insufficient permissions. Method requires read privileges; none granted.' });

    await control.revokeToken(reader.token?.key ?? '');
    assert.deepEqual((await reader.rest<Fail>('flickr.test.login')).body, { stat: 'fail', code: 98, message: 'Invalid auth token' });
    assert.equal((await control.state()).tokens.find((t) => t.token === reader.token?.key)?.revoked, true);

    const stranger = new FlickrTestClient(emu.flickr, { key: 'f'.repeat(32), secret: DEFAULT_FLICKR_API_SECRET });
    assert.deepEqual((await stranger.rest<Fail>('flickr.test.echo')).body, { stat: 'fail', code: 100, message: 'Invalid API Key (Key not found)' });
    const malformed = new FlickrTestClient(emu.flickr, { key: 'not-a-key', secret: DEFAULT_FLICKR_API_SECRET });
    assert.equal((await malformed.rest<Fail>('flickr.test.echo')).body.message, 'Invalid API Key (Key has invalid format)');
    const req = await stranger.get(emu.flickr.requestToken, { oauth_callback: 'oob' }, null);
    assert.equal(req.status, 401);
    assert.equal(req.text, 'oauth_problem=consumer_key_unknown');

    // A second registered app gets its own tokens; the first app's token is not valid for it.
    const pair = await control.registerKey({ name: 'Other app' });
    const other = new FlickrTestClient(emu.flickr, { key: pair.key, secret: pair.secret });
    other.token = writer.token;
    assert.equal((await other.rest<Fail>('flickr.test.login')).body.code, 98);
  }));

test('Flickr reads OAuth only from the query or body: an Authorization header alone is not seen', () =>
  withEmulator(async (emu) => {
    const client = new FlickrTestClient(emu.flickr);
    const lib = new OAuth({ consumer: client.consumer, signature_method: 'HMAC-SHA1', hash_function: (b, k) => createHmac('sha1', k).update(b).digest('base64') });
    const url = `${emu.flickr.requestToken}?oauth_callback=oob`;
    const header = lib.toHeader(lib.authorize({ url, method: 'GET' }));
    const res = await fetch(url, { headers: { ...header } });
    assert.equal(res.status, 400);
    assert.equal(await res.text(), 'oauth_problem=parameter_absent&oauth_parameters_absent=oauth_consumer_key%26oauth_signature_method%26oauth_signature%26oauth_timestamp%26oauth_nonce');
    const noCallback = await client.get(emu.flickr.requestToken, {}, null);
    assert.equal(noCallback.text, 'oauth_problem=parameter_absent&oauth_parameters_absent=oauth_callback');
  }));

test('a signature over the real Flickr URL is accepted (a client whose transport redirects to the emulator); http:// is not', () =>
  withEmulator(async (emu) => {
    const client = new FlickrTestClient(emu.flickr);
    await signInFlickr(client, 'read');
    const data = { method: 'flickr.test.login', format: 'json', nojsoncallback: '1' };
    for (const [signedUrl, expected] of [
      ['https://api.flickr.com/services/rest', /"stat":"ok"/],
      ['http://api.flickr.com/services/rest', /^oauth_problem=signature_invalid/],
      [`${emu.flickr.rest}/`, /^oauth_problem=signature_invalid/],
    ] as const) {
      const signed = client.sign('GET', signedUrl, data);
      const text = await (await fetch(`${emu.flickr.rest}?${new URLSearchParams(signed)}`)).text();
      assert.match(text, expected, signedUrl);
    }
  }));
