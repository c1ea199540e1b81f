import type { IncomingMessage } from 'node:http';

/**
 * Reads and drops what is left of a request body before its answer is sent. Node does not keep
 * reading a body once the answer is out, so a client still sending (an upload refused on its
 * headers, or cut off at the size limit) would stall before reading the answer. Resolves true once
 * the body has ended, false when it went past `maxBytes` (the caller then closes the connection
 * rather than read on: nobody gets to make the server read forever), the deadline passed, or the
 * client went away.
 */
export function drainUnreadBody(
  req: IncomingMessage,
  maxBytes: number,
  deadlineMs = Number.POSITIVE_INFINITY,
): Promise<boolean> {
  if (req.complete || req.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => {
    let dropped = 0;
    // A body trickled a byte at a time must not hold the answer (and the connection) for long.
    const timer = Number.isFinite(deadlineMs)
      ? setTimeout(() => {
          req.pause();
          finish(false);
        }, deadlineMs)
      : undefined;
    const finish = (drained: boolean) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
      resolve(drained);
    };
    const onData = (chunk: Buffer) => {
      dropped += chunk.length;
      if (dropped > maxBytes) {
        req.pause();
        finish(false);
      }
    };
    const onEnd = () => finish(true);
    const onClose = () => finish(req.complete);
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
    req.once('error', onClose);
    req.resume();
  });
}
