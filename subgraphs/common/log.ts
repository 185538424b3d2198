/** Structured JSON logs (pino), one logger per process, children per request. */
import { pino, type Logger } from 'pino';
import { logLevel } from './config.js';

export type { Logger };

/** `level`: the configuration's (LOG_LEVEL; silent under tests) unless given. */
export function createLogger(service: string, level: string = logLevel()): Logger {
  return pino({
    name: service,
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', '*.password'], remove: true },
  });
}
