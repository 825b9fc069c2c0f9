// The `photo-sync` program: global options, every command from ./commands with its help and
// examples, the exit codes in --help, and one place that turns failures into exit codes.
import { Command, CommanderError, Option } from 'commander';
import { version } from '../../package.json';
import { COMMANDS } from './commands';
import type { CliCommand, RunCommand } from './command';
import { EXAMPLE_CONFIG, HOME_HINT } from './config';
import { CliContext, type GlobalOptions } from './context';
import { CliError, EXIT, EXIT_CODES_HELP, exitCodeOfAuth, type ExitCode } from './exit';
import { errorLine } from './problems';
import { SECRETS_MODES } from './secrets';

const PROGRAM_HELP = `
Configuration:
  Sync folders come from ${HOME_HINT} (JSON with comments; --config names another
  file), or with --vscode-settings from VS Code's settings.json (VS Code, Insiders, VSCodium,
  VS Code Server and code-server; <user-data>/User and <user-data>/Machine). Example:

${EXAMPLE_CONFIG.replace(/^/gm, '    ')}

  The index is the one the VS Code extension uses (its global storage) when it exists, so the
  sidebar shows what the command line did; else ~/.local/share/photo-sync. --index overrides it.
  The OAuth client and the sign-in are kept in the OS keychain when one is reachable, else in a
  file readable only by you (--secrets file|keychain|auto).

Run nightly from cron:
  0 3 * * * photo-sync sync --quiet

${EXIT_CODES_HELP}
`;

export function buildProgram(onExit: (code: ExitCode) => void, commands: readonly CliCommand[] = COMMANDS): Command {
  const program = new Command('photo-sync')
    .description('Back up photo folders to Google Photos albums — the engine of the Photo Sync VS Code extension, for cron and servers.')
    .version(version, '-V, --version')
    .option('--config <file>', `config file with the sync folders (default ${HOME_HINT})`)
    .option('--vscode-settings', "read the sync folders from VS Code's settings.json instead of a config file")
    .option('--vscode-user-data <dir>', 'the VS Code user-data folder to read settings and the index from (implies --vscode-settings)')
    .option('--index <path>', "the folder holding index.sqlite (default: the VS Code extension's)")
    .addOption(new Option('--secrets <where>', 'where the OAuth client and sign-in are kept').choices([...SECRETS_MODES]).default('auto'))
    .option('--account <email>', 'the signed-in Google account to use (default: the first); a sync folder\'s own "account" in the config wins for sync and verify')
    .option('--json', 'print one JSON object per event on stdout, for scripts')
    .option('-q, --quiet', 'print only warnings, errors and failed files (for cron)')
    .option('--verbose', 'log every request and retry on stderr')
    .showHelpAfterError('(run photo-sync --help for usage)')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .addHelpText('after', PROGRAM_HELP)
    .exitOverride();

  for (const spec of commands) addCommand(program, spec, onExit);
  return program;
}

function addCommand(program: Command, spec: CliCommand, onExit: (code: ExitCode) => void): void {
  const command = program.command(spec.arguments ? `${spec.name} ${spec.arguments}` : spec.name).summary(spec.summary).description(spec.description ?? spec.summary);
  spec.configure?.(command, (sub, run) => {
    sub.exitOverride();
    bindAction(sub, run, onExit);
  });
  command.addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}\n\n${EXIT_CODES_HELP}\n`);
  command.exitOverride();
  if (spec.run) bindAction(command, spec.run, onExit);
}

/** Runs `run` for `command` with a context built from the global options; nested commands too. */
function bindAction(command: Command, run: RunCommand, onExit: (code: ExitCode) => void): void {
  command.action(async () => {
    const options = command.opts();
    const globals = command.optsWithGlobals<GlobalOptions>();
    const cli = new CliContext(globals);
    let code: ExitCode;
    try {
      code = await run(cli, command.processedArgs, options);
    } catch (err) {
      code = report(cli, err);
    } finally {
      await cli.close().catch((err: unknown) => cli.out.error(`Saving the index failed: ${errorLine(err)}`));
    }
    onExit(code);
  });
}

function report(cli: CliContext, err: unknown): ExitCode {
  if (err instanceof CliError) {
    cli.out.error(err.message, err.code);
    return err.code;
  }
  const auth = exitCodeOfAuth(err);
  if (auth !== undefined) {
    cli.out.error(errorLine(err), auth);
    return auth;
  }
  if (cli.interrupt.received) return EXIT.cancelled;
  cli.out.error(`${errorLine(err)} (run with --verbose for details)`, EXIT.failed);
  if (cli.options.verbose && err instanceof Error && err.stack) cli.out.errorStream.write(`${err.stack}\n`);
  return EXIT.failed;
}

/** Parses argv and runs; resolves with the exit code (usage errors and no command: 2; --help and --version: 0). */
export async function runProgram(argv: readonly string[], commands: readonly CliCommand[] = COMMANDS): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const program = buildProgram((c) => (code = c), commands);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help, `help <command>` and --version end well; `photo-sync` alone shows the help as a usage error.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    throw err;
  }
  return code;
}
