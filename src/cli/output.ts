// What the command line prints. Three modes: for a person (a live display on a terminal, plain lines
// otherwise so cron mail stays readable), --quiet (only warnings, errors and failures), and --json
// (one JSON object per event on stdout, for scripts). Secrets never reach it: every text is redacted.
import { redactSecrets } from '../util/redact';

export interface OutputOptions {
  json?: boolean;
  quiet?: boolean;
  stdout?: NodeJS.WritableStream & { isTTY?: boolean };
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
}

export class Output {
  readonly json: boolean;
  readonly quiet: boolean;
  /** A live display may redraw lines (stdout and stderr are a terminal, and neither --json nor --quiet). */
  readonly live: boolean;
  private readonly stdout: NodeJS.WritableStream;
  private readonly stderr: NodeJS.WritableStream;
  /** While a live display runs, messages are printed above it through this. */
  private liveLog: ((text: string) => void) | undefined;

  constructor(options: OutputOptions = {}) {
    this.json = options.json ?? false;
    this.quiet = !this.json && (options.quiet ?? false);
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
    // Both: with stdout sent to a file, every line goes there and none is redrawn.
    this.live = !this.json && !this.quiet && (options.stderr ?? process.stderr).isTTY === true && (options.stdout ?? process.stdout).isTTY === true;
  }

  get errorStream(): NodeJS.WritableStream {
    return this.stderr;
  }

  /** With --json: one event line on stdout. Otherwise nothing. */
  event(type: string, data: Record<string, unknown> = {}): void {
    if (!this.json) return;
    // Each text is redacted on its own: redacting the JSON text would also hit keys ("exitCode":3).
    this.stdout.write(`${JSON.stringify({ type, time: new Date().toISOString(), ...data }, (_key, value: unknown) => (typeof value === 'string' ? redactSecrets(value) : value))}\n`);
  }

  /** A line for a person on stdout (not with --quiet or --json). */
  info(text: string): void {
    if (this.json || this.quiet) return;
    this.print(this.stdout, text);
  }

  /** A line that matters even with --quiet (a summary with failures): stdout, or stderr with --quiet. */
  notice(text: string): void {
    if (this.json) return;
    this.print(this.quiet ? this.stderr : this.stdout, text);
  }

  warn(text: string): void {
    this.event('warning', { message: text });
    if (!this.json) this.print(this.stderr, `warning: ${text}`);
  }

  error(text: string, exitCode?: number): void {
    this.event('error', { message: text, exitCode });
    this.print(this.stderr, `error: ${text}`);
  }

  /** Registers (or removes) the live display's way of printing a line above itself. */
  setLive(log: ((text: string) => void) | undefined): void {
    this.liveLog = log;
  }

  private print(stream: NodeJS.WritableStream, text: string): void {
    const line = `${redactSecrets(text)}\n`;
    if (this.liveLog) this.liveLog(line);
    else stream.write(line);
  }
}
