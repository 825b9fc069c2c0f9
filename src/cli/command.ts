// The shape of a command-line command. A new one is a file in ./commands exporting
// `defineCommand({...})`, registered with one line in ./commands/index.ts; nested commands
// (`download album`) add their own subcommands in `configure` and bind them with `bindAction`.
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
  /** Adds options (and subcommands) to the command. */
  configure?: (command: Command) => void;
  /** Shown under "Examples:" in the command's help; every command has some. */
  examples: readonly string[];
  /** Runs the command; `args` are the parsed arguments in order. Throw CliError for a one-line failure. */
  run?: (cli: CliContext, args: unknown[], options: O) => Promise<ExitCode>;
}

export interface CliCommand extends CommandSpec {
  readonly kind: 'photo-sync-command';
}

export function defineCommand<O extends object>(spec: CommandSpec<O>): CliCommand {
  return { ...(spec as unknown as CommandSpec), kind: 'photo-sync-command' };
}

/** Builds the context from the global options, runs, and reports the exit code to `onExit`. */
export type ActionRunner = (command: Command, run: (cli: CliContext, args: unknown[], options: Record<string, unknown>) => Promise<ExitCode>) => Promise<void>;

export type { GlobalOptions };
