import { type RequestHandler } from 'express';
import helmet from 'helmet';
import { type AppConfig } from '../../config/load-config';

/** A JSON API loads nothing: the strictest policy (identity-platform §10, decision D10). */
const API_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'none'"],
  },
};

/** Swagger UI (development only) needs its own scripts, styles and images. */
const DOCS_CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'", "'unsafe-inline'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    frameAncestors: ["'none'"],
  },
};

export const DOCS_PATH = '/docs';

/** Security headers on every response in every environment; HSTS (with preload) only outside development. */
export function securityHeaders(config: AppConfig): RequestHandler {
  const common = {
    frameguard: { action: 'deny' as const },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' as const },
    xContentTypeOptions: true,
    strictTransportSecurity: config.isProduction
      ? { maxAge: 31_536_000, includeSubDomains: true, preload: true }
      : false,
  };
  const api = helmet({ ...common, contentSecurityPolicy: API_CSP });
  const docs = helmet({ ...common, contentSecurityPolicy: DOCS_CSP });
  return (request, response, next) => {
    response.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    const forDocs = config.isDevelopment && request.path.startsWith(DOCS_PATH);
    return (forDocs ? docs : api)(request, response, next);
  };
}
