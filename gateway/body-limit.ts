/**
 * The request body cap, on the bytes that actually arrive: a chunked body has no Content-Length
 * to check, so the body is read here, up to the cap, before anything else looks at it.
 */
import type http from 'node:http';

/**
 * Resolves with the whole body, or with undefined as soon as it is known to exceed `limit`
 * bytes (declared or read); reading then stops, and the caller answers 413 and closes.
 */
export function readLimitedBody(req: http.IncomingMessage, limit: number): Promise<Buffer | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        resolve(undefined);
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/**
 * Hands an already read body to the runtime's Node adapter (@whatwg-node/server), which uses
 * a request's `body` property when set instead of reading the (now drained) stream.
 */
export function attachBody(req: http.IncomingMessage, body: Buffer): void {
  if (body.length) (req as http.IncomingMessage & { body?: Buffer }).body = body;
}
