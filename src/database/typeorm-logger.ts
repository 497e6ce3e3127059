import { Logger } from '@nestjs/common';
import { type Logger as TypeOrmLogger } from 'typeorm';

/**
 * Routes TypeORM's messages into the application log (and so through the PII redaction). Query
 * parameters are never logged: they carry e-mail addresses, names and hashes (M-011).
 */
export class DatabaseLogger implements TypeOrmLogger {
  private readonly logger = new Logger('Database');

  constructor(private readonly logQueries: boolean) {}

  logQuery(query: string): void {
    if (this.logQueries) this.logger.debug({ event: 'db_query', query });
  }

  logQueryError(error: string | Error, query: string): void {
    this.logger.error({ event: 'db_query_failed', query, err: error });
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ event: 'db_query_slow', duration_ms: time, query });
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log({ event: 'db_migration', message });
  }

  /** TypeORM's info messages are about entity discovery; only its warnings matter. */
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn({ event: 'db_notice', message });
  }
}
