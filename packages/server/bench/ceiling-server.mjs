// The practical ceiling: bare node:http with no routing, auth or storage. DELETE (any method but
// GET) answers the spec's success JSON for the id in the path, with the headers the real server
// sends. GET answers `--get-bytes` bytes from memory (default: the same success JSON), the ceiling
// for downloads of that size. `--get-json-bytes` answers a JSON body of that size instead: the fair
// ceiling for a list page, which is JSON of about that size, not the 110-byte success body.
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { 'get-bytes': { type: 'string' }, 'get-json-bytes': { type: 'string' } },
});
const jsonBytes = values['get-json-bytes'] === undefined ? null : Number(values['get-json-bytes']);
const getBody =
  jsonBytes !== null
    ? Buffer.from(`{"data":[{"pad":"${'a'.repeat(Math.max(0, jsonBytes - 22))}"}]}`)
    : values['get-bytes'] === undefined
      ? null
      : Buffer.alloc(Number(values['get-bytes']), 0x61);
const getType = jsonBytes !== null ? 'application/json;charset=UTF-8' : 'application/octet-stream';

const server = createServer((req, res) => {
  if (req.method === 'GET' && getBody) {
    res.writeHead(200, { 'content-type': getType, 'content-length': getBody.length });
    res.end(getBody);
    return;
  }
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
