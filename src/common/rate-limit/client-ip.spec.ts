import { type Request } from 'express';
import { clientIp } from './client-ip';

function requestFrom(socketAddress: string, forwardedFor?: string): Request {
  return {
    socket: { remoteAddress: socketAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  } as unknown as Request;
}

describe('clientIp', () => {
  it('OPS-09: with 0 trusted proxies, ignores X-Forwarded-For so it cannot be spoofed', () => {
    expect(clientIp(requestFrom('198.51.100.9', '1.2.3.4'), 0)).toBe('198.51.100.9');
  });

  it('OPS-09: with 1 trusted proxy, keys on the last address of the chain', () => {
    expect(clientIp(requestFrom('10.9.9.9', '10.0.0.1, 192.168.1.1'), 1)).toBe('192.168.1.1');
  });

  it('OPS-09: with 2 trusted proxies, keys on the second address from the end', () => {
    expect(clientIp(requestFrom('10.9.9.9', '1.1.1.1, 10.0.0.1, 192.168.1.1'), 2)).toBe('10.0.0.1');
  });

  it('OPS-09: a single-address chain is keyed on that address, even with more proxies trusted', () => {
    expect(clientIp(requestFrom('10.9.9.9', '203.0.113.5'), 3)).toBe('203.0.113.5');
  });

  it('OPS-09: without the header, uses the socket address', () => {
    expect(clientIp(requestFrom('198.51.100.9'), 1)).toBe('198.51.100.9');
    expect(clientIp(requestFrom('198.51.100.9', ' , '), 1)).toBe('198.51.100.9');
  });
});
