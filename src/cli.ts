import 'reflect-metadata';
import { type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { Command, CommanderError } from 'commander';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { loadConfigOrExit } from './bootstrap';
import { openDatabase } from './database/open-database';
import { DomainError } from './common/errors/domain-error';
import { CreateAdminCommand } from './identity/commands/create-admin/create-admin.command';
import { CreateAdminRequest } from './identity/http/auth.requests';
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
    .action((name: string, options: { booking?: string }) =>
      withApplication(async (app) => {
        const handled = await app.get(JobRunner).run(name, { bookingId: options.booking });
        process.stdout.write(`${name}: ${handled} item(s) handled\n`);
      }),
    );

  program
    .command('admin:create')
    .description('create a verified admin account (admins cannot register through the API)')
    .requiredOption('--email <email>')
    .requiredOption('--password <password>')
    .option('--first-name <name>')
    .option('--last-name <name>')
    .action((options: { email: string; password: string; firstName?: string; lastName?: string }) =>
      withApplication(async (app) => {
        const request = await validated(CreateAdminRequest, {
          email: options.email,
          password: options.password,
          first_name: options.firstName,
          last_name: options.lastName,
        });
        const { id } = await app.get(CommandBus).execute(new CreateAdminCommand(request));
        process.stdout.write(`admin created: ${id}\n`);
      }),
    );

  return program;
}

/** Opens the database and an application context (no HTTP, no cron, no delivery workers) around `work`. */
async function withApplication(work: (app: INestApplicationContext) => Promise<void>): Promise<void> {
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
    await work(app);
  } finally {
    await app.close();
    await database.close();
  }
}

/** The API's validation rules applied to CLI input; the first problem is reported as an error. */
async function validated<T extends object>(type: new () => T, input: object): Promise<T> {
  const instance = plainToInstance(type, input);
  const errors = await validate(instance);
  if (errors.length > 0) {
    const first = errors[0];
    throw new Error(`${first.property}: ${Object.values(first.constraints ?? {})[0] ?? 'invalid'}`);
  }
  return instance;
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
    if (error instanceof DomainError) {
      process.stderr.write(`${error.detail}\n`);
      return EXIT.failure;
    }
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failure;
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
