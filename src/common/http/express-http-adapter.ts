import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { type DynamicModule, type NestApplicationOptions } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { type Express } from 'express';

/**
 * Nest's Express adapter, with an HTTP server that builds each request and response on the
 * Express application's own prototypes (`app.request`, `app.response`).
 *
 * Express 5 moves every request and response onto those prototypes as it receives them
 * (`Object.setPrototypeOf` in `app.handle`). In V8, that made each exchange's objects survive
 * young-generation collections: under load the server promoted about 30 kB per request and every
 * scavenge took 10–20 ms (expressjs/express#5998 proposes this same fix). Born on the right
 * prototype, an object is left as it is by that call, since its prototype is already the one asked.
 *
 * TLS ends at the proxy and connections are drained by ConnectionDrain, so the adapter's
 * `httpsOptions` and `forceCloseConnections` are not used here.
 */
export class ExpressHttpAdapter extends ExpressAdapter {
  override initHttpServer(_options: NestApplicationOptions): void {
    const app = this.getInstance<Express>();
    this.httpServer = createServer(
      {
        IncomingMessage: messageClass(IncomingMessage, app.request),
        ServerResponse: messageClass(ServerResponse, app.response),
      },
      app,
    );
  }
}

/** The HTTP application as main.ts and the tests create it: this adapter, Express's body parsers off. */
export function createHttpApp(module: DynamicModule): Promise<NestExpressApplication> {
  return NestFactory.create<NestExpressApplication>(module, new ExpressHttpAdapter(), {
    bodyParser: false,
    bufferLogs: true,
  });
}

/**
 * A constructor that initialises its objects as `base` does and gives them `prototype`, which
 * inherits from `base.prototype`. Node's message classes are plain functions, callable on `this`.
 */
function messageClass<T extends typeof IncomingMessage | typeof ServerResponse>(
  base: T,
  prototype: object,
): T {
  function Message(this: object, ...args: unknown[]) {
    Reflect.apply(base, this, args);
  }
  Message.prototype = prototype;
  return Message as unknown as T;
}
