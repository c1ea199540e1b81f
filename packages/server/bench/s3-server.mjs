// The S3-compatible server of the PostgreSQL + S3 rows: s3rver (the test suite's, a devDependency),
// storing objects in `--directory`, with one bucket (`--bucket`). It is JavaScript and slow next
// to a real object store: the S3 CPU figures of the benchmark are its cost, not S3's.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { directory: { type: 'string' }, bucket: { type: 'string', default: 'bench' } },
});
const S3rver = createRequire(import.meta.url)('@20minutes/s3rver');
const server = new S3rver({
  address: '127.0.0.1',
  port: 0,
  silent: true,
  directory: values.directory,
  configureBuckets: [{ name: values.bucket }],
});
const { port } = await server.run();
process.stdout.write(`listening ${port}\n`);
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
