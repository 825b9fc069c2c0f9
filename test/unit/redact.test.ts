import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactSecrets, registerSecret, forgetSecret } from '../../src/util/redact';
import { redactingLogger } from '../../src/util/logger';

test('redacts Google token shapes and token-bearing fields', () => {
  // Assembled at run time so the repository holds nothing shaped like a real credential.
  const access = ['ya29', 'a0AfH6SMBabcdefghijklmnop'].join('.');
  const refresh = ['1', '', '0gABCDEFGHIJKLMNOPQRSTUVWXYZ'].join('/');
  const secret = ['GOCSPX', 'abcdefghijk'].join('-');
  const text = `Authorization: Bearer ${access} refresh_token=${refresh} client_secret: "${secret}"`;
  const out = redactSecrets(text);
  assert.ok(!out.includes('ya29.a0'), out);
  assert.ok(!out.includes('1//0g'), out);
  assert.ok(!out.includes('GOCSPX-abc'), out);
  assert.match(out, /Bearer \[redacted\]/);
});

test('redacts registered secrets of any shape, until forgotten', () => {
  registerSecret('emu-at-7f3a9c2e11');
  assert.equal(redactSecrets('token emu-at-7f3a9c2e11 used'), 'token [redacted] used');
  forgetSecret('emu-at-7f3a9c2e11');
  assert.equal(redactSecrets('x emu-at-7f3a9c2e11'), 'x emu-at-7f3a9c2e11');
});

test('the redacting logger cleans messages, arguments and errors', () => {
  const lines: string[] = [];
  const sink = (m: string | Error, ...a: unknown[]) => lines.push([m, ...a].map(String).join(' '));
  const log = redactingLogger({ trace: sink, debug: sink, info: sink, warn: sink, error: sink });
  log.info('got ya29.secretsecretsecret', { access_token: 'ya29.zzzzzzzzzzzzzz' });
  log.error(new Error('refresh failed for 1//0gSECRETSECRETSECRET'));
  assert.ok(lines.every((l) => !l.includes('secretsecret') && !l.includes('zzzzzzzz') && !l.includes('SECRETSECRET')), lines.join('\n'));
});
