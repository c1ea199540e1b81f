import {
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A pass-through HTTP proxy in front of the real server that injects network faults the server
 * itself never produces: it records what clients send, can cut an answer's body after a number of
 * bytes (a dropped connection mid-download) and can hold requests unanswered (to interrupt a bulk
 * run at a known point, with no timing involved). Answers are the real server's.
 */
export interface FaultProxy {
  url: string;
  /** Every request that went through, in order. */
  requests: Array<{ method: string; path: string; headers: IncomingHttpHeaders }>;
  /** Cut the body of the next answers whose path matches after `bytes` bytes. */
  cutBodies(match: RegExp, bytes: number, times?: number): void;
  /**
   * Let `passing` requests of `method` through, then hold the others unanswered. Resolves once one
   * is held; `release()` forwards the held ones and every later one.
   */
  holdAfter(method: string, passing: number): { firstHeld: Promise<void>; release: () => void };
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstreamUrl = new URL(target);
  const requests: FaultProxy['requests'] = [];
  const cuts: Array<{ match: RegExp; bytes: number; left: number }> = [];
  let hold: { method: string; passing: number; held: Array<() => void>; onHeld: () => void } | undefined;
  const server: Server = createServer((req, res) => {
    if (hold && req.method === hold.method) {
      if (hold.passing > 0) hold.passing--;
      else {
        hold.held.push(() => forward(req, res));
        hold.onHeld();
        return;
      }
    }
    forward(req, res);
  });
  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const cut = cuts.find((c) => c.left > 0 && c.match.test(path));
    if (cut) cut.left--;
    const upstream = httpRequest(
      {
        host: upstreamUrl.hostname,
        port: upstreamUrl.port,
        method: req.method,
        path,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (!cut) {
          answer.pipe(res);
          return;
        }
        let sent = 0;
        answer.on('data', (chunk: Buffer) => {
          if (sent >= cut.bytes) return;
          const room = cut.bytes - sent;
          const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
          sent += part.length;
          res.write(part, () => {
            if (sent >= cut.bytes) {
              answer.destroy();
              res.socket?.destroy();
            }
          });
        });
        // An answer shorter than the cut arrives whole.
        answer.on('end', () => {
          if (sent < cut.bytes) res.end();
        });
      },
    );
    upstream.on('error', () => res.socket?.destroy());
    req.pipe(upstream);
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    cutBodies(match, bytes, times = 1) {
      cuts.push({ match, bytes, left: times });
    },
    holdAfter(method, passing) {
      let onHeld: () => void = () => {};
      const firstHeld = new Promise<void>((resolve) => {
        onHeld = resolve;
      });
      const state = { method, passing, held: [] as Array<() => void>, onHeld };
      hold = state;
      return {
        firstHeld,
        release: () => {
          hold = undefined;
          for (const go of state.held.splice(0)) go();
        },
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
