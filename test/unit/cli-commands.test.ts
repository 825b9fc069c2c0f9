// The command framework: a command is one defineCommand({...}) — here a nested `download album` as
// the download flow will add it — with its arguments, options, help examples and exit code; usage
// errors exit 2; a CliError's code and message reach the user.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineCommand } from '../../src/cli/command';
import { COMMANDS } from '../../src/cli/commands';
import { CliError, EXIT } from '../../src/cli/exit';
import { Output } from '../../src/cli/output';
import { buildProgram, runProgram } from '../../src/cli/program';
import { registerSecret } from '../../src/util/redact';

const seen: unknown[][] = [];
const download = defineCommand({
  name: 'download',
  summary: 'Download from Google Photos',
  examples: ['photo-sync download album "Trip" --to ~/Pictures/Trip'],
  configure: (command, bind) => {
    bind(
      command.command('album <name>').description('Download an album').requiredOption('--to <dir>', 'where to'),
      async (_cli, args, options) => {
        seen.push([...args, options.to]);
        return EXIT.ok;
      },
    );
  },
});
const failing = defineCommand({
  name: 'fail',
  summary: 'Always fails',
  examples: ['photo-sync fail'],
  run: async () => {
    throw new CliError(EXIT.quota, 'quota gone');
  },
});

test('a nested subcommand from one defineCommand: parsed arguments and options, exit codes, help with examples', async () => {
  // The real download command is replaced by this one, to see the framework alone.
  const commands = [...COMMANDS.filter((c) => c.name !== 'download'), download, failing];
  assert.equal(await runProgram(['download', 'album', 'Trip 2024', '--to', '/tmp/x', '--quiet'], commands), EXIT.ok);
  assert.deepEqual(seen, [['Trip 2024', '/tmp/x']]);
  assert.equal(await runProgram(['download', 'album', 'Trip'], commands), EXIT.usage, 'missing --to');
  assert.equal(await runProgram(['fail', '--json'], commands), EXIT.quota);
  assert.equal(await runProgram(['--version'], commands), EXIT.ok);
  assert.equal(await runProgram(['help', 'sync'], commands), EXIT.ok);
  assert.equal(await runProgram([], commands), EXIT.usage, 'no command: the help, as a usage error');

  const program = buildProgram(() => undefined, commands);
  const help = program.commands.find((c) => c.name() === 'download')?.helpInformation() ?? '';
  assert.match(help, /album \[options\] <name>/);
  for (const spec of COMMANDS) {
    const c = program.commands.find((x) => x.name() === spec.name);
    assert.ok(c, spec.name);
    assert.ok(spec.examples.length > 0, `${spec.name} has examples`);
  }
  assert.deepEqual(COMMANDS.map((c) => c.name), ['setup-client', 'login', 'logout', 'status', 'sync', 'upload', 'pick', 'download', 'verify', 'import-takeout']);
});

test('--json events keep their numbers and keys; only texts are redacted', () => {
  let text = '';
  const stdout = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WritableStream;
  const out = new Output({ json: true, stdout, stderr: stdout });
  registerSecret('super-secret-token-1234');
  out.event('error', { message: 'refresh super-secret-token-1234 failed', exitCode: 4, code: 'x' });
  const parsed = JSON.parse(text.trim().split('\n')[0]) as Record<string, unknown>;
  assert.equal(parsed.exitCode, 4);
  assert.equal(parsed.message, 'refresh [redacted] failed');
});
