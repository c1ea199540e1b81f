import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Callback {
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/**
 * A webhook receiver: a real HTTP server on loopback that records every POST it gets. `mode`
 * says how it answers: `ok` 200, `error` 503, `down` drops the connection without an answer.
 */
export async function startReceiver(host = '127.0.0.1') {
  const received: Callback[] = [];
  let mode: 'ok' | 'error' | 'down' = 'ok';
  const attempts: Callback[] = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const cb = { path: req.url ?? '', headers: req.headers, body: text ? JSON.parse(text) : undefined };
      attempts.push(cb);
      if (mode === 'down') return req.socket.destroy();
      if (mode === 'error') return res.writeHead(503).end('busy');
      received.push(cb);
      for (const w of waiters.splice(0)) w();
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path = '/hook') => `http://${host}:${port}${path}`,
    port,
    /** Callbacks answered 200. */
    received,
    /** Every request, answered or not. */
    attempts,
    setMode(m: typeof mode) {
      mode = m;
    },
    /** Resolves once `count` callbacks have been answered 200 (event-driven, no polling). */
    async waitForReceived(count: number): Promise<Callback[]> {
      while (received.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
