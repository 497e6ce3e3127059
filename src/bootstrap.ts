import { existsSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import pino from 'pino';
import { fillDevelopmentSecrets } from './config/development-secrets';
import { type AppConfig, ConfigValidationError, loadConfig } from './config/load-config';
import { loggerOptions } from './observability/logging/logger.options';

const DEV_SECRETS_FILE = 'var/dev-secrets.json';

/**
 * What `main` and the CLI do before Nest exists: read `.env`, validate the configuration (exit 1
 * with every problem listed), and log its warnings. Returns the configuration and a boot logger.
 */
export function loadConfigOrExit(): { config: AppConfig; logger: Logger } {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const generated = fillDevelopmentSecrets(process.env, DEV_SECRETS_FILE);
  try {
    const { config, warnings } = loadConfig(process.env);
    const logger = new Logger('Boot');
    Logger.overrideLogger(pinoNestLogger(config));
    for (const name of generated)
      logger.warn({ event: 'development_secret_generated', name, file: DEV_SECRETS_FILE });
    for (const warning of warnings) logger.warn({ event: 'config_warning', warning });
    return { config, logger };
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** Until Nest's own logger takes over, boot messages go through pino with the same redaction. */
function pinoNestLogger(config: AppConfig) {
  const log = pino(loggerOptions(config, config.isDevelopment));
  const write =
    (level: 'info' | 'warn' | 'error' | 'debug') =>
    (message: unknown, ...rest: unknown[]) => {
      const context = rest.at(-1);
      if (typeof message === 'object' && message !== null) log[level]({ context, ...message });
      else log[level]({ context }, String(message));
    };
  return {
    log: write('info'),
    warn: write('warn'),
    error: write('error'),
    debug: write('debug'),
    verbose: write('debug'),
  };
}
