/**
 * A scripted `fetch` for transport tests: each call takes the next step (a Response to answer or
 * an error to throw) and records what was sent.
 */

export interface SentRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export type Step = Response | Error | ((req: SentRequest, init: RequestInit) => Response | Promise<Response>);

export const JSON_TYPE = 'application/json;charset=UTF-8';

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': JSON_TYPE, ...headers } });
}

export function errorBody(code: string, message: string, details: Record<string, unknown> = {}) {
  return { code, details, message, status: 'error' };
}

export function scriptedFetch(steps: Step[]): typeof fetch & { sent: SentRequest[] } {
  const sent: SentRequest[] = [];
  const impl = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => {
      headers[k] = v;
    });
    const req: SentRequest = {
      url: String(input),
      method: init.method ?? 'GET',
      headers,
      body: typeof init.body === 'string' ? init.body : undefined,
    };
    sent.push(req);
    const step = steps.shift();
    if (!step) throw new Error(`unexpected request ${req.method} ${req.url}`);
    if (step instanceof Error) throw step;
    if (typeof step === 'function') return step(req, init);
    return step;
  };
  return Object.assign(impl as typeof fetch, { sent });
}

/** An error shaped like undici's for a reset connection. */
export function connectionReset(): Error {
  return new TypeError('fetch failed', {
    cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
  });
}

/** Records waits instead of sleeping, so retry tests take no wall-clock time. */
export function recordingSleep(): ((ms: number) => Promise<void>) & { waits: number[] } {
  const waits: number[] = [];
  return Object.assign(
    async (ms: number) => {
      waits.push(ms);
    },
    { waits },
  );
}
