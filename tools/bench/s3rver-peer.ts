// s3rver (npm, a fake S3 server for node that keeps objects in files) alone in its process, for the hit
// figures of `npm run bench`: `s3rver-peer.ts <port> <directory>`. The bucket `bench` is created at start;
// the bench puts its objects in with unsigned PUTs, which s3rver accepts.

// @ts-expect-error: s3rver ships no types; only its constructor and run() are used here.
import S3rver from 's3rver';

const [portText, directory] = process.argv.slice(2);
const port = Number(portText);
if (!Number.isInteger(port) || port < 1 || port > 65535 || !directory) {
  process.stderr.write('usage: s3rver-peer.ts <port> <directory>\n');
  process.exit(2);
}
const server = new S3rver({
  address: '127.0.0.1',
  port,
  silent: true,
  directory,
  configureBuckets: [{ name: 'bench' }],
});
await server.run();
process.stdout.write(`listening on http://127.0.0.1:${port}\n`);
process.on('SIGTERM', () => {
  server.close().then(() => process.exit(0));
});
