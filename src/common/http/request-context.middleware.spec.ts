import { EventEmitter } from 'node:events';
import { type NextFunction, type Request, type Response } from 'express';
import { requestContext } from './request-context.middleware';

function exchange(requestId?: string) {
  const request = {
    method: 'GET',
    path: '/bookings/me',
    header: (name: string) => (name === 'x-request-id' ? requestId : undefined),
  } as unknown as Request;
  const headers: Record<string, string> = {};
  const response = Object.assign(new EventEmitter(), {
    statusCode: 200,
    setHeader: (name: string, value: string) => (headers[name] = value),
  }) as unknown as Response & EventEmitter;
  return { request, response, headers };
}

describe('requestContext', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('warns slow_request with method, path, duration and status for a request over one second', () => {
    const warn = jest.fn();
    const { request, response } = exchange('abc-123');
    requestContext({ warn })(request, response, jest.fn() as NextFunction);
    jest.advanceTimersByTime(1_250);
    response.emit('finish');
    expect(warn).toHaveBeenCalledWith(
      expect.objectContaining({
        event: 'slow_request',
        request_id: 'abc-123',
        method: 'GET',
        path: '/bookings/me',
        duration_ms: 1_250,
        status_code: 200,
      }),
    );
  });

  it('stays quiet for a request under one second', () => {
    const warn = jest.fn();
    const { request, response } = exchange();
    requestContext({ warn })(request, response, jest.fn() as NextFunction);
    jest.advanceTimersByTime(999);
    response.emit('finish');
    expect(warn).not.toHaveBeenCalled();
  });

  it('OPS-06: echoes a safe request id and replaces an unsafe one', () => {
    const safe = exchange('abc-123');
    requestContext({ warn: jest.fn() })(safe.request, safe.response, jest.fn() as NextFunction);
    expect(safe.headers['X-Request-ID']).toBe('abc-123');

    const unsafe = exchange('x'.repeat(65));
    requestContext({ warn: jest.fn() })(unsafe.request, unsafe.response, jest.fn() as NextFunction);
    expect(unsafe.headers['X-Request-ID']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
