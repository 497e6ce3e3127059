import { type INestApplication, Logger } from '@nestjs/common';
import { type CorsOptions } from '@nestjs/common/interfaces/external/cors-options.interface';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import responseTime from 'response-time';
import { type AppConfig } from '../../config/load-config';
import { HttpMetricsMiddleware } from '../../observability/metrics/http-metrics.middleware';
import { STRIPE_WEBHOOK_MAX_BYTES, STRIPE_WEBHOOK_PATH } from '../../payments/http/stripe-webhook.route';
import { ConnectionDrain } from './connection-drain';
import { bodyParserErrors, contentLengthGuard, MAX_BODY_BYTES } from './body-limits';
import { requestContext } from './request-context.middleware';
import { DOCS_PATH, securityHeaders } from './security-headers';
import { UnreadBodyLinger } from './unread-body-linger';

const DEV_ORIGINS = [
  'http://localhost:3000',
  'http://localhost:8081',
  'http://localhost:19006',
  'http://localhost:5173',
];

/**
 * The Express-level pipeline, in order, shared by `main.ts` and the tests so both serve the same
 * thing: request id, timing and metrics first (so every answer carries and counts them), security
 * headers, CORS, the body limits and JSON parsing, then the API docs in development.
 */
export function configureHttp(app: INestApplication, config: AppConfig): void {
  app.useLogger(app.get(PinoNestLogger));
  // Nest only flushes its boot-time log buffer in listen(); tests never listen.
  app.flushLogs();
  const logger = new Logger('Http');
  app.use(requestContext(logger));
  app.use(responseTime({ digits: 1, header: 'X-Process-Time', suffix: true }));
  app.use(app.get(HttpMetricsMiddleware).use);
  app.use(app.get(ConnectionDrain).middleware);
  app.use(securityHeaders(config));
  app.enableCors(corsOptions(config));
  app.use(app.get(UnreadBodyLinger).middleware());
  app.use(contentLengthGuard());
  // The Stripe signature covers the exact bytes: that body is kept raw (JSON parsing then skips it).
  app.use(
    STRIPE_WEBHOOK_PATH,
    contentLengthGuard(STRIPE_WEBHOOK_MAX_BYTES),
    express.raw({ type: () => true, limit: STRIPE_WEBHOOK_MAX_BYTES }),
  );
  app.use(express.json({ limit: MAX_BODY_BYTES }));
  app.use(bodyParserErrors());
  if (config.isDevelopment) mountApiDocs(app);
}

export function corsOptions(config: AppConfig): CorsOptions {
  if (config.isDevelopment) return { origin: DEV_ORIGINS, credentials: false };
  return {
    origin: config.CORS_ORIGINS,
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
  };
}

function mountApiDocs(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('eMecano API').setVersion('1.0').addBearerAuth().build(),
  );
  SwaggerModule.setup(DOCS_PATH.slice(1), app, document, { jsonDocumentUrl: 'openapi.json' });
}
