import { type ErrorRequestHandler, type Request, type RequestHandler, type Response } from 'express';

/** identity-platform §7.3: 10 MB per request. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Refuses a declared oversize body before reading it (body-parser would wait for the whole body to
 * arrive before failing); a non-numeric Content-Length is ignored.
 */
export function contentLengthGuard(limitBytes = MAX_BODY_BYTES): RequestHandler {
  return (request, response, next) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limitBytes) {
      sendPayloadTooLarge(request, response);
      return;
    }
    next();
  };
}

interface BodyParserError {
  type?: string;
  body?: unknown;
  message?: string;
}

/**
 * body-parser's failures, in the original error shapes: malformed JSON is a 422 `json_invalid`
 * (never a 500), an undeclared oversize body a 413, an unsupported charset a 415.
 */
export function bodyParserErrors(): ErrorRequestHandler {
  return (error: BodyParserError, request, response, next) => {
    switch (error.type) {
      case 'entity.parse.failed':
        response.status(422).json({
          detail: [{ type: 'json_invalid', loc: ['body'], msg: 'JSON decode error', input: {} }],
        });
        return;
      case 'entity.too.large':
        sendPayloadTooLarge(request, response);
        return;
      case 'charset.unsupported':
      case 'encoding.unsupported':
        response.status(415).json({ detail: 'Unsupported Media Type', request_id: request.id });
        return;
      default:
        next(error);
    }
  };
}

function sendPayloadTooLarge(request: Request, response: Response): void {
  response
    .status(413)
    .json({ detail: 'Payload too large', code: 'payload_too_large', request_id: request.id });
}
