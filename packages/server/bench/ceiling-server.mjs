// The practical ceiling: bare node:http answering the spec's success JSON for the attachment id
// in the path, with the same headers the real server sends. No routing, auth or storage.
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  const id = req.url.slice(req.url.lastIndexOf('/') + 1);
  const body = `{"data":[{"code":"SUCCESS","details":{"id":"${id}"},"message":"record deleted","status":"success"}]}`;
  res.writeHead(200, {
    'content-type': 'application/json;charset=UTF-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
