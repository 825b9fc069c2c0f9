// Run by localfs-placeFile-faults.test.ts as an unprivileged user (root ignores folder permissions):
// places a few bytes at argv[2] and prints the outcome as JSON.
import { placeStream, PlaceError } from '../../src/localfs/placeFile';

placeStream([Buffer.from('photo bytes')], process.argv[2]).then(
  (placed) => console.log(JSON.stringify({ placed: placed.path })),
  (err: unknown) => console.log(JSON.stringify(err instanceof PlaceError ? { code: err.code, message: err.message } : { error: String(err) })),
);
