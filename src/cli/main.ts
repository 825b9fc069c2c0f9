// `photo-sync`: the command-line entry point (bundled to dist/cli.js, the package's "bin").
import { runProgram } from './program';

function exit(code: number): void {
  // Once what was printed has been handed on; a keep-alive socket must not hold a cron job open.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

runProgram(process.argv.slice(2)).then(exit, (err: unknown) => {
  process.stderr.write(`photo-sync: ${err instanceof Error ? err.message : String(err)}\n`);
  exit(1);
});
