// photo-sync setup-client <client_secret.json>: keeps the user's own OAuth client ("Desktop app")
// in the OS keychain or the 0600 secrets file, as the extension keeps it in SecretStorage.
import fs from 'node:fs';
import path from 'node:path';
import { parseClientSecretJson } from '../../auth/clientConfig';
import { defineCommand } from '../command';
import { CliError, EXIT } from '../exit';
import { errorLine } from '../problems';

export default defineCommand({
  name: 'setup-client',
  arguments: '<client_secret.json>',
  summary: 'Keep your Google OAuth client (the client_secret.json of a "Desktop app" client)',
  description:
    'Photo Sync talks to Google Photos through your own Google Cloud project, so uploads use your own daily quota.\n' +
    'Create an OAuth client of type "Desktop app" in the Google Cloud console (APIs & Services → Credentials),\n' +
    'download its JSON file and give it here. The client secret is kept in the OS keychain (or a file only you can read).',
  examples: ['photo-sync setup-client ~/Downloads/client_secret_1234.apps.googleusercontent.com.json', 'photo-sync setup-client client_secret.json --secrets file'],
  async run(cli, [file]) {
    const given = path.resolve(String(file));
    let text: string;
    try {
      text = fs.readFileSync(given, 'utf8');
    } catch (err) {
      throw new CliError(EXIT.usage, `Cannot read ${given} (${(err as NodeJS.ErrnoException).code ?? 'error'}). Give the path of the client_secret.json you downloaded.`);
    }
    let client;
    try {
      client = parseClientSecretJson(text);
    } catch (err) {
      throw new CliError(EXIT.usage, errorLine(err));
    }
    const auth = await cli.auth();
    await auth.clientStore.set(client);
    const others = auth.accounts().length;
    cli.out.event('client', { clientId: client.clientId, projectId: client.projectId ?? null, secrets: auth.secrets.backend, where: auth.secrets.where });
    cli.out.info(`Saved the OAuth client${client.projectId ? ` of project ${client.projectId}` : ''} in ${auth.secrets.where}.${keychainNote(auth.secrets.keychainProblem)}`);
    cli.out.info(others ? 'If this is another client than before, sign in again: photo-sync login' : 'Next: photo-sync login');
    return EXIT.ok;
  },
});

export function keychainNote(problem: string | undefined): string {
  return problem ? ` (No OS keychain was reachable: ${problem}.)` : '';
}
