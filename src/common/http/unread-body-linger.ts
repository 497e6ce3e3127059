import { type IncomingMessage } from 'node:http';
import { type BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { type RequestHandler } from 'express';

/** How long the unread rest of a request body may keep arriving after the answer (nginx's lingering_time). */
export const UNREAD_BODY_LINGER_MS = 30_000;

/**
 * After an answer that left part of the request body unread (a 413 on the declared length, a route
 * that refused before reading), Node reads and discards the rest so that the connection can serve
 * another request: for as long as the client keeps sending, up to Node's 300 s request timeout. This
 * bounds it: the rest may arrive for `lingerMs`, long enough for a client that sends its body before
 * reading the answer to read it (closing at once would reset the connection and lose the answer),
 * then the connection is closed.
 *
 * At shutdown the connections still lingering are closed at once, and so are those whose answer ends
 * later: the server counts them as busy and would wait for their bodies, past the runtime contract's
 * 10 s. A client still sending may then get a reset instead of the answer, as with any answer given
 * once shutdown has begun: those carry `Connection: close` (ConnectionDrain), after which Node closes
 * the connection without reading the rest anyway.
 */
@Injectable()
export class UnreadBodyLinger implements BeforeApplicationShutdown {
  /** Requests answered while their body was still arriving, until it ends or the client leaves. */
  private readonly lingering = new Set<IncomingMessage>();
  private closing = false;

  middleware(lingerMs = UNREAD_BODY_LINGER_MS): RequestHandler {
    return (request, response, next) => {
      response.once('finish', () => {
        if (request.complete) return;
        const { socket } = request;
        if (this.closing) {
          socket.destroy();
          return;
        }
        // A body that ends in time leaves the connection open for the next request; the timer (and
        // what it holds) goes as soon as the body ends or the client leaves.
        const forget = () => {
          clearTimeout(close);
          this.lingering.delete(request);
          socket.off('close', forget);
        };
        const close = setTimeout(() => {
          forget();
          if (!request.complete) socket.destroy();
        }, lingerMs).unref();
        this.lingering.add(request);
        request.once('end', forget);
        socket.once('close', forget);
      });
      next();
    };
  }

  beforeApplicationShutdown(): void {
    this.closing = true;
    for (const request of this.lingering) if (!request.complete) request.socket.destroy();
  }
}
