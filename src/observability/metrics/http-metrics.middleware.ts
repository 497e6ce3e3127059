import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import { type NextFunction, type Request, type Response } from 'express';
import { Counter, Histogram } from 'prom-client';
import { METRIC } from './metrics';

const UNCOUNTED_PATHS = new Set(['/health', '/metrics']);

/**
 * Mounted as plain Express middleware by configureHttp (a Nest middleware would be a route itself and
 * hide the real route template). Counts every request that matched a route, labelled with the route template (`/mechanics/{id}`),
 * so label cardinality stays bounded. Unmatched paths, `/health` and `/metrics` are not counted.
 */
@Injectable()
export class HttpMetricsMiddleware {
  constructor(
    @InjectMetric(METRIC.httpRequests) private readonly requests: Counter<string>,
    @InjectMetric(METRIC.httpRequestDuration) private readonly duration: Histogram<string>,
  ) {}

  readonly use = (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const template = routeTemplate(request);
      if (!template || UNCOUNTED_PATHS.has(template)) return;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.requests.inc({
        method: request.method,
        status: `${Math.floor(response.statusCode / 100)}xx`,
        handler: template,
      });
      this.duration.observe({ method: request.method, handler: template }, seconds);
    });
    next();
  };
}

/**
 * Express's matched route path in the OpenAPI style the original exposed: `:id` → `{id}`. Nest
 * mounts module middleware (the request logger) as catch-all routes (`/{*path}`), which leave
 * `req.route` set on requests no handler matched; those are not routes of the API.
 */
export function routeTemplate(request: Request): string | undefined {
  const path = (request.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string' || path.includes('{*')) return undefined;
  return `${request.baseUrl}${path}`.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
