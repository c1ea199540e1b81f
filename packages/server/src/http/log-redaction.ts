import type { FastifyServerOptions } from 'fastify';
import { redactSecrets } from './redact-url.js';

const scrub = (v: unknown): unknown => (typeof v === 'string' ? redactSecrets(v) : v);

/**
 * Logged errors pass through here: a driver's or library's message can quote what it was given
 * (a token in a failed query, a secret in a parse error), so message, stack and any string
 * property lose token-shaped values. Nested causes are scrubbed the same way.
 */
interface SerializedError {
  [key: string]: unknown;
  type: string;
  message: string;
  stack: string;
}

function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error))
    return { type: typeof error, message: redactSecrets(String(error)), stack: '' };
  const out: SerializedError = {
    type: error.name,
    message: redactSecrets(error.message),
    stack: redactSecrets(error.stack ?? ''),
  };
  for (const [k, v] of Object.entries(error))
    if ((typeof v !== 'object' || v === null) && !(k in out)) out[k] = scrub(v);
  if (error.cause !== undefined && depth < 5) out.cause = serializeError(error.cause, depth + 1);
  return out;
}

/** Logger options that keep secrets out of every line: headers, errors and messages. */
export const logRedaction = {
  redact: {
    paths: ['req.headers.authorization', 'headers.authorization', 'req.headers.cookie', 'headers.cookie'],
    censor: '[redacted]',
  },
  serializers: { err: (error: unknown) => serializeError(error) },
  hooks: {
    logMethod(args: unknown[], method: (...a: unknown[]) => void) {
      method.apply(this, args.map(scrub));
    },
  },
} satisfies Partial<Exclude<FastifyServerOptions['logger'], boolean | undefined>>;
