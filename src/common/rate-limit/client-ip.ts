import { type Request } from 'express';

/**
 * The client address the limits are keyed on (identity-platform §5). With N trusted proxies, the
 * proxies append to `X-Forwarded-For`, so the client is the element N from the end; anything before
 * it was written by the client and cannot be trusted. With 0, the header is ignored.
 */
export function clientIp(request: Request, trustedProxyCount: number): string {
  const socketAddress = request.socket.remoteAddress ?? 'unknown';
  if (trustedProxyCount <= 0) return socketAddress;
  const header = request.headers['x-forwarded-for'];
  const raw = Array.isArray(header) ? header.join(',') : header;
  if (!raw) return socketAddress;
  const chain = raw
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (chain.length === 0) return socketAddress;
  return chain[Math.max(0, chain.length - trustedProxyCount)];
}
