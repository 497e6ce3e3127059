import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { AppModule } from './app.module';
import { loadConfigOrExit } from './bootstrap';
import { configureHttp } from './common/http/configure-http';
import { createHttpApp } from './common/http/express-http-adapter';
import { openDatabase } from './database/open-database';

/** Runtime contract: on SIGTERM, stop taking requests, finish in-flight work and exit 0 within 10 s. */
const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  const { config, logger } = loadConfigOrExit();
  const database = await openDatabase(config, logger);
  const app = await createHttpApp(AppModule.forRoot({ config, dataSource: database.dataSource }));
  configureHttp(app, config);
  await app.listen(config.PORT, '0.0.0.0');

  const base = `http://localhost:${config.PORT}`;
  logger.log({ event: 'listening', url: base, docs: config.isDevelopment ? `${base}/docs` : undefined });

  const shutdown = async (signal: string) => {
    logger.log({ event: 'shutdown', signal });
    setTimeout(() => {
      logger.error({ event: 'shutdown_deadline_exceeded' });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error: unknown) => {
  // H-013 among others: a failed migration or an unreachable database stops the start, loudly.
  new Logger('Boot').error({ event: 'startup_failed', err: error });
  process.exit(1);
});
