import { type Params } from 'nestjs-pino';
import { type DestinationStream, type LoggerOptions } from 'pino';
import { type AppConfig } from '../../config/load-config';
import { redactText, redactValue } from './redact';

/**
 * pino options shared by the HTTP request logger and the Nest logger: JSON lines in staging and
 * production, readable lines in development, every record passed through the PII redaction.
 */
export function loggerOptions(config: AppConfig, pretty = false): LoggerOptions {
  return {
    transport: pretty ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
    level: config.isProduction ? 'info' : 'debug',
    base: { service: 'emecano-api', env: config.APP_ENV },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    formatters: {
      level: (label) => ({ level: label }),
      log: (record) => redactValue(record) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        method.apply(
          this,
          args.map((arg) => (typeof arg === 'string' ? redactText(arg) : arg)) as typeof args,
        );
      },
    },
  };
}

export interface LoggingOptions {
  /** Where JSON lines go; tests pass a capturing stream. Defaults to stdout. */
  destination?: DestinationStream;
  /** Human-readable lines; defaults to LOG_FORMAT. Ignored with a destination. */
  pretty?: boolean;
}

function prettyByDefault(config: AppConfig): boolean {
  return config.LOG_FORMAT === 'auto' ? config.isDevelopment : config.LOG_FORMAT === 'pretty';
}

export function pinoHttpParams(config: AppConfig, options: LoggingOptions = {}): Params {
  const base = loggerOptions(config, (options.pretty ?? prettyByDefault(config)) && !options.destination);
  return {
    pinoHttp: [
      {
        ...base,
        // The request id is set by the request-context middleware, which runs first.
        genReqId: (req) => req.id ?? 'unknown',
        serializers: {
          req: (req: { id?: unknown; method?: string; url?: string }) => ({
            id: req.id,
            method: req.method,
            url: req.url ? redactText(req.url) : req.url,
          }),
          // pino-http hands serializers a wrapper whose `raw` is the Node response.
          res: (res: { raw?: { statusCode?: number } }) => ({ statusCode: res.raw?.statusCode }),
        },
        autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
        customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'info'),
      },
      ...(options.destination ? [options.destination] : []),
    ] as Params['pinoHttp'],
  };
}
