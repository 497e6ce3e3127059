import { type DynamicModule, type INestApplication, type Type } from '@nestjs/common';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { type DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureHttp } from '../../src/common/http/configure-http';
import { createHttpApp } from '../../src/common/http/express-http-adapter';
import { type AppConfig } from '../../src/config/load-config';
import { createDataSource } from '../../src/database/data-source';
import { type FixedClock } from './clock';
import { LogCapture } from './log-capture';

export interface TestApp {
  app: INestApplication;
  http: TestAgent;
  config: AppConfig;
  dataSource: DataSource;
  logs: LogCapture;
  close(): Promise<void>;
}

export interface TestAppOptions {
  config: AppConfig;
  /** The file's database (test/support/database.ts). */
  databaseUrl: string;
  clock?: FixedClock;
  /** Extra modules, e.g. a test-only controller exercising the HTTP contract. */
  imports?: (Type | DynamicModule)[];
  /** The jobs' cron schedules; off by default so that tests run jobs by hand. */
  triggersEnabled?: boolean;
}

/** The real application, wired exactly as main.ts wires it, on the test file's database. */
export async function startTestApp(options: TestAppOptions): Promise<TestApp> {
  // Production configs require TLS to the database; the local test server has none.
  const dataSource = createDataSource(options.config, withSslDisabled(options.databaseUrl));
  await dataSource.initialize();
  const logs = new LogCapture();
  // nestjs-pino keeps its out-of-request logger in a module variable; point it at this app's capture.
  __resetOutOfContextForTests();
  const root = AppModule.forRoot({
    config: options.config,
    dataSource,
    logging: { destination: logs },
    clock: options.clock,
    triggersEnabled: options.triggersEnabled ?? false,
  });
  const app = await createHttpApp({
    module: class TestRootModule {},
    imports: [root, ...(options.imports ?? [])],
  });
  configureHttp(app, options.config);
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    config: options.config,
    dataSource,
    logs,
    close: async () => {
      await app.close();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

function withSslDisabled(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.searchParams.set('sslmode', 'disable');
  return url.toString();
}
