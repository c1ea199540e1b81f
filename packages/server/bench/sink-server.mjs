// The ceiling for uploads: a raw loopback body sink. bare node:http reads every request body
// and drops it, then answers a small JSON. No multipart parsing, hashing, disk or fsync: the cost
// of moving bytes through the kernel and the event loop, nothing else.
import { createServer } from 'node:http';

const body =
  '{"data":[{"code":"SUCCESS","details":{},"message":"attachment uploaded successfully","status":"success"}]}';
const server = createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': body.length });
    res.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
