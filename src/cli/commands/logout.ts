// photo-sync logout: revokes the grant at Google, then forgets the refresh token.
import { defineCommand } from '../command';
import { CliError, EXIT } from '../exit';

export default defineCommand({
  name: 'logout',
  summary: "Sign out: revoke Photo Sync's access at Google and forget the sign-in",
  examples: ['photo-sync logout', 'photo-sync logout --account me@example.com'],
  async run(cli) {
    const auth = await cli.auth();
    const wanted = cli.options.account;
    const chosen = wanted ? auth.account(wanted) : undefined;
    const accounts = wanted ? auth.accounts().filter((a) => a.sessionId === chosen?.sessionId) : auth.accounts();
    if (wanted && accounts.length === 0) throw new CliError(EXIT.usage, `${wanted} is not signed in${auth.accounts().length ? ` (signed in: ${auth.accounts().map((a) => a.label).join(', ')})` : ''}.`);
    if (accounts.length === 0) {
      cli.out.event('logout', { accounts: [] });
      cli.out.info('Not signed in; nothing to do.');
      return EXIT.ok;
    }
    for (const account of accounts) {
      const before = auth.warnings.length;
      await auth.provider.removeSession(account.sessionId);
      const revoked = !auth.warnings.slice(before).some((w) => w.startsWith('Revoking'));
      cli.out.event('logout', { account: account.label, revoked });
      if (revoked) cli.out.info(`Signed out of ${account.label}: access revoked at Google and the sign-in removed from ${auth.secrets.where}.`);
      else cli.out.warn(`Signed out of ${account.label}: the sign-in was removed from ${auth.secrets.where}, but Google could not be told (offline, or already revoked). Check https://myaccount.google.com/permissions.`);
    }
    return EXIT.ok;
  },
});
