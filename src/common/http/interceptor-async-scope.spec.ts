import { AsyncLocalStorage, AsyncResource } from 'node:async_hooks';
import {
  type CallHandler,
  Controller,
  Get,
  Injectable,
  type INestApplication,
  type NestInterceptor,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import request from 'supertest';
import { createHttpApp } from './express-http-adapter';

const requestStore = new AsyncLocalStorage<{ requestId: string }>();

@Injectable()
class AwaitingInterceptor implements NestInterceptor {
  /** Awaits before handing on, as the rate limiter does (validation, the limit's storage). */
  async intercept(_context: unknown, next: CallHandler) {
    await new Promise((resolve) => setImmediate(resolve));
    return next.handle();
  }
}

@Controller()
class StoreController {
  @Get('store')
  store() {
    return { requestId: requestStore.getStore()?.requestId ?? null };
  }
}

/**
 * patches/@nestjs+core+*.patch: Nest 11 wraps each interceptor step in `AsyncResource.bind`, whose
 * deprecated `asyncResource` accessor made every request's objects survive young-generation
 * collections on Node 20; the patch (Nest 12's code) binds the same async scope without it.
 */
describe('interceptors (patched @nestjs/core)', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createHttpApp({
      module: class InterceptorTestModule {},
      controllers: [StoreController],
      providers: [{ provide: APP_INTERCEPTOR, useClass: AwaitingInterceptor }],
    });
    app.use((req: { headers: Record<string, string> }, _res: unknown, next: () => void) =>
      requestStore.run({ requestId: req.headers['x-request-id'] }, next),
    );
    await app.init();
  });

  afterAll(() => app.close());

  it("run the handler in the request's async context, without AsyncResource.bind", async () => {
    const bind = jest.spyOn(AsyncResource, 'bind');
    try {
      const [first, second] = await Promise.all([
        request(app.getHttpServer()).get('/store').set('X-Request-Id', 'first'),
        request(app.getHttpServer()).get('/store').set('X-Request-Id', 'second'),
      ]);

      expect(first.body).toEqual({ requestId: 'first' });
      expect(second.body).toEqual({ requestId: 'second' });
      expect(bind).not.toHaveBeenCalled();
    } finally {
      bind.mockRestore();
    }
  });
});
