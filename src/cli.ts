import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Command, CommanderError } from 'commander';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { loadConfigOrExit } from './bootstrap';
import { openDatabase } from './database/open-database';
import { JobRunner, UnknownJobError } from './scheduling/job-runner';

/** Exit codes of the operations CLI (runtime-contract). */
export const EXIT = { ok: 0, failure: 1, unknownJob: 2 } as const;

/**
 * `npm run cli -- <command>`: operations against the configured database. Every command opens the
 * database the way the server does (embedded in zero-config development, migrations applied first).
 */
export function buildCli(): Command {
  const program = new Command('emecano').exitOverride().showHelpAfterError();

  program
    .command('migrate')
    .description('apply pending migrations (under the advisory lock, like the server start)')
    .action(async () => {
      const { config, logger } = loadConfigOrExit();
      const database = await openDatabase(config, logger);
      await database.close();
    });

  program
    .command('job:run <name>')
    .description('run one scheduled job now, batch after batch until no due work is left')
    .option('--booking <id>', 'restrict the run to one booking (release_payment)')
    .action(async (name: string, options: { booking?: string }) => {
      const { config, logger } = loadConfigOrExit();
      const database = await openDatabase(config, logger);
      const app = await NestFactory.createApplicationContext(
        AppModule.forRoot({
          config,
          dataSource: database.dataSource,
          triggersEnabled: false,
          deliveryWorkers: false,
        }),
        { bufferLogs: true },
      );
      app.useLogger(app.get(PinoNestLogger));
      try {
        const handled = await app.get(JobRunner).run(name, { bookingId: options.booking });
        process.stdout.write(`${name}: ${handled} item(s) handled\n`);
      } finally {
        await app.close();
        await database.close();
      }
    });

  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildCli().parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UnknownJobError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT.unknownJob;
    }
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.failure;
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failure;
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
