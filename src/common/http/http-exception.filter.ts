import {
  type ArgumentsHost,
  Catch,
  type ExceptionFilter,
  HttpException,
  Injectable,
  Logger,
} from '@nestjs/common';
import { type Request, type Response } from 'express';
import { isTransientContention } from '../../database/pg-errors';
import { DomainError } from '../errors/domain-error';
import { RateLimitExceededError } from '../rate-limit/rate-limit-exceeded.error';
import { RequestValidationError } from './request-validation.error';
import { RouteTable } from './route-table';

interface ErrorReply {
  status: number;
  body: Record<string, unknown>;
}

/**
 * The one place that turns an exception into the original API's error body: `{"detail": …}` (plus
 * `code` and `request_id`), 422 lists for validation, `{"error": …}` for rate limits. Anything
 * unexpected is logged with the request id and answered with a generic 500.
 */
@Catch()
@Injectable()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  constructor(private readonly routes: RouteTable) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request>();
    const response = http.getResponse<Response>();
    const reply = this.replyFor(exception, request);
    if (response.headersSent) return;
    const requestId = typeof request.id === 'string' ? request.id : undefined;
    const body = 'detail' in reply.body && requestId ? { ...reply.body, request_id: requestId } : reply.body;
    response.status(reply.status).json(body);
  }

  private replyFor(exception: unknown, request: Request): ErrorReply {
    if (exception instanceof RequestValidationError)
      return { status: 422, body: { detail: exception.issues } };
    if (exception instanceof DomainError) {
      return { status: exception.status, body: { detail: exception.detail, code: exception.code } };
    }
    if (exception instanceof RateLimitExceededError)
      return { status: 429, body: { error: exception.message } };
    if (exception instanceof HttpException) return this.replyForHttpException(exception, request);
    if (isTransientContention(exception)) {
      this.logger.warn({ event: 'db_contention', path: request.path, err: exception });
      return {
        status: 503,
        body: { detail: 'Service temporarily busy, please retry', code: 'resource_busy' },
      };
    }
    this.logger.error({ event: 'unhandled_exception', path: request.path, err: exception });
    return { status: 500, body: { detail: 'Internal server error' } };
  }

  private replyForHttpException(exception: HttpException, request: Request): ErrorReply {
    const status = exception.getStatus();
    if (status === 404 && isUnmatchedRoute(exception)) {
      return this.routes.hasOtherMethodFor(request.method, request.path)
        ? { status: 405, body: { detail: 'Method Not Allowed' } }
        : { status: 404, body: { detail: 'Not Found' } };
    }
    if (status >= 500) {
      this.logger.error({ event: 'unhandled_exception', path: request.path, err: exception });
      return { status: 500, body: { detail: 'Internal server error' } };
    }
    return { status, body: { detail: messageOf(exception) } };
  }
}

/** Nest's router answers an unknown path with a NotFoundException whose message starts "Cannot GET". */
function isUnmatchedRoute(exception: HttpException): boolean {
  return /^Cannot [A-Z]+ /.test(exception.message);
}

function messageOf(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message =
    (response as { detail?: unknown; message?: unknown }).detail ??
    (response as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  return exception.message;
}
