/** How the gateway's own HTTP answers look: JSON errors in the GraphQL shape, and routes by path. */
import type http from 'node:http';

/** Answers for some paths: handles the request and returns true, or returns false for a path it does not serve. */
export interface Route {
  handle(req: http.IncomingMessage, res: http.ServerResponse, pathname: string): boolean;
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

/** A refusal in the shape of a GraphQL error, so that clients read every failure the same way. */
export function refuse(res: http.ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] }, headers);
}

/** The value of a request header sent once (the first, if sent several times). */
export function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
