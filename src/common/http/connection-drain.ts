import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { type NextFunction, type Request, type Response } from 'express';
import onHeaders from 'on-headers';

/**
 * Once shutdown begins, every response still being produced asks its client to close the
 * connection, so the server closes as soon as the in-flight requests are answered instead of
 * waiting for keep-alive connections to time out.
 */
@Injectable()
export class ConnectionDrain implements BeforeApplicationShutdown {
  private draining = false;

  readonly middleware = (_request: Request, response: Response, next: NextFunction): void => {
    onHeaders(response, () => {
      if (this.draining) response.setHeader('Connection', 'close');
    });
    next();
  };

  beforeApplicationShutdown(): void {
    this.draining = true;
  }
}
