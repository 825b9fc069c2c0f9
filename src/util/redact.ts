// Token shapes: Google access tokens (ya29.), refresh tokens (1//), client secrets (GOCSPX-),
// bearer headers, and token-bearing query or form fields. Known secrets registered at run time
// (tokens we hold in memory) are redacted whatever their shape.
const PATTERNS: RegExp[] = [
  /ya29\.[A-Za-z0-9._-]+/g,
  /1\/\/[A-Za-z0-9._-]{10,}/g,
  /GOCSPX-[A-Za-z0-9_-]+/g,
  /(Bearer\s+)[A-Za-z0-9._~+/=-]+/gi,
  /((?:access_token|refresh_token|id_token|client_secret|code|code_verifier|token)["']?\s*[:=]\s*["']?)[^"'&\s,}]+/gi,
];

const known = new Set<string>();

/** Registers a secret held in memory so it is redacted from any text, whatever its shape. */
export function registerSecret(secret: string | undefined | null): void {
  if (secret && secret.length >= 8) known.add(secret);
}

export function forgetSecret(secret: string | undefined | null): void {
  if (secret) known.delete(secret);
}

export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of known) out = out.split(secret).join('[redacted]');
  for (const pattern of PATTERNS) {
    out = out.replace(pattern, (match: string, prefix?: string) =>
      typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}[redacted]` : '[redacted]',
    );
  }
  return out;
}
