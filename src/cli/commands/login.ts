// photo-sync login: the extension's sign-in (loopback redirect on 127.0.0.1 with PKCE) from a
// terminal. --no-browser prints the address and takes the redirect URL pasted back — the case of a
// headless server reached over SSH (Google's device flow does not allow the Photos scopes).
import { SIGN_IN_SCOPES } from '../../google/scopes';
import { terminalSignIn } from '../auth';
import { defineCommand } from '../command';
import { CliError, EXIT, exitCodeOfAuth } from '../exit';
import { errorLine } from '../problems';
import { keychainNote } from './setupClient';

interface LoginOptions {
  browser?: boolean;
  port?: number;
}

export default defineCommand<LoginOptions>({
  name: 'login',
  summary: 'Sign in to Google Photos (prints the address to open; waits for the browser)',
  description:
    'Signs in with your OAuth client: open the printed address in a browser, choose your account and press Allow.\n' +
    'On a server without a browser use --no-browser: open the address on any computer, and when the browser then fails\n' +
    'to load http://127.0.0.1:…/?code=…, paste that whole address into the terminal. (Or forward the port over SSH:\n' +
    'ssh -L 8765:127.0.0.1:8765 server, then photo-sync login --no-browser --port 8765.)',
  configure: (c) =>
    c
      .option('--no-browser', 'do not open a browser; paste the redirect address back instead')
      .option('--port <n>', 'listen for the redirect on this local port (default: any free port)', (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1 || n > 65535) throw new CliError(EXIT.usage, `--port ${v} is not a port number.`);
        return n;
      }),
  examples: ['photo-sync login', 'photo-sync login --no-browser', 'photo-sync login --no-browser --port 8765   # with ssh -L 8765:127.0.0.1:8765'],
  async run(cli, _args, options) {
    const signIn = terminalSignIn({ out: cli.out, log: cli.log, interrupt: cli.interrupt, noBrowser: options.browser === false, port: options.port });
    const auth = await cli.auth(signIn);
    if (!(await auth.clientStore.get())) throw new CliError(EXIT.usage, 'No Google OAuth client is set up yet. Run: photo-sync setup-client <client_secret.json> (the file of a "Desktop app" client from the Google Cloud console).');
    let session;
    try {
      session = await auth.provider.createSession(SIGN_IN_SCOPES, {});
    } catch (err) {
      throw new CliError(exitCodeOfAuth(err) ?? EXIT.failed, errorLine(err));
    }
    cli.out.event('login', { account: session.account.label, accountId: session.account.id, secrets: auth.secrets.backend, where: auth.secrets.where });
    cli.out.notice(`Signed in to Google Photos as ${session.account.label}. The sign-in is kept in ${auth.secrets.where}.${keychainNote(auth.secrets.keychainProblem)}`);
    return EXIT.ok;
  },
});
