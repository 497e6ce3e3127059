import { randomUUID } from 'node:crypto';
import { type Logger } from '@nestjs/common';
import { type NextFunction, type Request, type Response } from 'express';

/** An incoming id is reused only when it cannot inject anything into a log line. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9-]{1,64}$/;
const SLOW_REQUEST_MS = 1_000;

/**
 * First middleware of the chain: gives the request its id (echoed as `X-Request-ID` on every
 * response, errors included) and warns about requests slower than a second.
 */
export function requestContext(logger: Pick<Logger, 'warn'>) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const incoming = request.header('x-request-id');
    const id = incoming && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    request.id = id;
    response.setHeader('X-Request-ID', id);
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (durationMs > SLOW_REQUEST_MS) {
        logger.warn({
          event: 'slow_request',
          request_id: id,
          method: request.method,
          path: request.path,
          duration_ms: Math.round(durationMs),
          status_code: response.statusCode,
        });
      }
    });
    next();
  };
}
