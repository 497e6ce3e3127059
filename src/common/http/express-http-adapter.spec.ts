import { type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Express } from 'express';
import request from 'supertest';
import { ExpressHttpAdapter } from './express-http-adapter';

describe('ExpressHttpAdapter', () => {
  it("builds each request and response on the Express application's prototypes, which Express then serves as usual", async () => {
    const adapter = new ExpressHttpAdapter();
    adapter.initHttpServer({});
    const app = adapter.getInstance<Express>();
    const server = adapter.getHttpServer() as Server;
    const born: object[] = [];
    // Runs before Express's own listener, so it sees the objects as the server made them.
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) =>
      born.push(Object.getPrototypeOf(req) as object, Object.getPrototypeOf(res) as object),
    );
    app.get('/echo', (req, res) => {
      res.status(201).json({ header: req.get('x-echo'), query: req.query.q });
    });

    const answer = await request(server).get('/echo?q=1').set('X-Echo', 'yes');

    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({ header: 'yes', query: '1' });
    expect(born).toHaveLength(2);
    expect(born[0]).toBe(app.request);
    expect(born[1]).toBe(app.response);
  });
});
