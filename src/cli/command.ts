// The shape of a command-line command. A new one is a file in ./commands exporting
// `defineCommand({...})`, registered with one line in ./commands/index.ts; nested commands
// (`download album`) add their own subcommands in `configure` and bind each with the `bind` it receives.
import type { Command } from 'commander';
import type { CliContext, GlobalOptions } from './context';
import type { ExitCode } from './exit';

export interface CommandSpec<O extends object = Record<string, unknown>> {
  /** The word after `photo-sync`, e.g. "sync". */
  name: string;
  /** Commander's argument syntax, e.g. "<folder>" or "[folder...]". */
  arguments?: string;
  /** One line for the command list. */
  summary: string;
  /** More words for `photo-sync <name> --help`. */
  description?: string;
  /**
   * Adds options (and subcommands) to the command. A subcommand gets its run with `bind(sub, run)`,
   * e.g. `bind(command.command('album <name>').option('--to <dir>'), runAlbum)`.
   */
  configure?: (command: Command, bind: (subcommand: Command, run: RunCommand) => void) => void;
  /** Shown under "Examples:" in the command's help; every command has some. */
  examples: readonly string[];
  /** Runs the command; `args` are the parsed arguments in order. Throw CliError for a one-line failure. */
  run?: (cli: CliContext, args: unknown[], options: O) => Promise<ExitCode>;
}

/** What a (sub)command runs: the context, its parsed arguments in order, its own options. */
export type RunCommand = (cli: CliContext, args: unknown[], options: Record<string, unknown>) => Promise<ExitCode>;

export interface CliCommand extends CommandSpec {
  readonly kind: 'photo-sync-command';
}

export function defineCommand<O extends object>(spec: CommandSpec<O>): CliCommand {
  return { ...(spec as unknown as CommandSpec), kind: 'photo-sync-command' };
}

export type { GlobalOptions };
