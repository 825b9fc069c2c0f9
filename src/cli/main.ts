// `photo-sync`: the command-line entry point (bundled to dist/cli.js, the package's "bin").
import { runProgram } from './program';

// `photo-sync status | head`: a reader that went away is no error of ours.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

function exit(code: number): void {
  // Once what was printed has been handed on; a keep-alive socket must not hold a cron job open.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

runProgram(process.argv.slice(2)).then(exit, (err: unknown) => {
  process.stderr.write(`photo-sync: ${err instanceof Error ? err.message : String(err)}\n`);
  exit(1);
});
