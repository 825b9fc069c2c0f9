/**
 * What a person does in the browser on the emulator's consent screen: load it, press Allow (or
 * Deny), and follow the redirect to the app's loopback redirect_uri so the app's server receives it.
 */
export async function completeConsent(authUrl: string, opts: { deny?: boolean; account?: string } = {}): Promise<void> {
  const pageRes = await fetch(authUrl, { redirect: 'manual' });
  const html = await pageRes.text();
  if (pageRes.status !== 200) {
    const error = /<strong>([^<]+)<\/strong>/.exec(html)?.[1] ?? `HTTP ${pageRes.status}`;
    throw new Error(`Consent page refused the request: ${error}`);
  }
  const form = /<form[^>]*method="POST"[^>]*action="([^"]+)"/i.exec(html);
  const consentId = /name="consent_id" value="([^"]+)"/.exec(html);
  if (!form || !consentId) throw new Error('Consent page has no consent form');
  const accounts = [...html.matchAll(/<input type="radio" name="account" value="([^"]+)"( checked)?/g)].map((m) => ({ email: unescape(m[1]), checked: m[2] !== undefined }));
  let account = accounts.find((a) => a.checked)?.email ?? accounts[0]?.email;
  if (opts.account !== undefined) {
    if (!accounts.some((a) => a.email === opts.account)) throw new Error(`Account ${opts.account} is not offered on the consent page`);
    account = opts.account;
  }
  const body = new URLSearchParams({ consent_id: consentId[1], account: account ?? '', decision: opts.deny ? 'deny' : 'allow' });
  const submit = await fetch(new URL(unescape(form[1]), authUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body,
    redirect: 'manual',
  });
  await submit.arrayBuffer();
  const location = submit.headers.get('location');
  if (submit.status !== 302 || !location) throw new Error(`Consent submit answered ${submit.status} without a redirect`);
  const landing = await fetch(location);
  await landing.arrayBuffer();
}

function unescape(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e] ?? '');
}
