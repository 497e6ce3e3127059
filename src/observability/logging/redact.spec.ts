import { EventEmitter } from 'node:events';
import { maskEmail, REDACTED, redactText, redactValue } from './redact';

describe('PII redaction', () => {
  it('M-011: masks an e-mail address as first character***@domain', () => {
    expect(maskEmail('jean.dupont@example.fr')).toBe('j***@example.fr');
    expect(maskEmail('not an address')).toBe('***');
    expect(redactText('login failed for jean.dupont@example.fr today')).toBe(
      'login failed for j***@example.fr today',
    );
  });

  it.each(['+33 6 12 34 56 78', '+33612345678', '06 12 34 56 78', '06.12.34.56.78', '0612345678'])(
    'M-011: removes the phone number %s',
    (phone) => {
      expect(redactText(`call ${phone} now`)).toBe(`call ${REDACTED} now`);
    },
  );

  it('keeps ordinary numbers, ids and timestamps', () => {
    const text =
      'booking 3f2b1c9e-1d2a-4e5f-9a8b-7c6d5e4f3a2b took 1234 ms at 2026-03-02T09:00:00.000Z, total 40.00';
    expect(redactText(text)).toBe(text);
  });

  it('M-011: removes JWTs, bearer tokens and secret query parameters', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLXZhbHVl';
    expect(redactText(`token ${jwt}`)).toBe(`token ${REDACTED}`);
    expect(redactText('Authorization: Bearer abc.def-ghi')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(redactText('/verify?token=abc123&lang=fr')).toBe(`/verify?token=${REDACTED}&lang=fr`);
    expect(redactText('/reset?code=123456')).toBe(`/reset?code=${REDACTED}`);
    expect(redactText('login with password hunter2 failed')).toBe(`login with password ${REDACTED} failed`);
    expect(redactText('mot de passe: Secr3t!')).toBe(`mot de passe: ${REDACTED}`);
  });

  it('M-011: removes values of secret-named keys at any depth, keeps the rest', () => {
    const record = {
      user_id: 'u-1',
      password: 'hunter2',
      headers: { authorization: 'Bearer x', 'content-type': 'application/json' },
      body: {
        new_password: 'x',
        refresh_token: 'y',
        phone: '0612345678',
        email: 'a.b@c.fr',
        items: [{ api_key: 'k' }],
      },
      is_verified: true,
    };
    expect(redactValue(record)).toEqual({
      user_id: 'u-1',
      password: REDACTED,
      headers: { authorization: REDACTED, 'content-type': 'application/json' },
      body: {
        new_password: REDACTED,
        refresh_token: REDACTED,
        phone: REDACTED,
        email: 'a***@c.fr',
        items: [{ api_key: REDACTED }],
      },
      is_verified: true,
    });
  });

  it('M-011: cleans error messages and stacks', () => {
    const error = new Error('duplicate key for jean@example.fr');
    const cleaned = redactValue({ err: error }) as { err: { message: string; stack: string; type: string } };
    expect(cleaned.err.type).toBe('Error');
    expect(cleaned.err.message).toBe('duplicate key for j***@example.fr');
    expect(cleaned.err.stack).not.toContain('jean@example.fr');
  });

  it('leaves live streams to the serializers instead of walking them (raw request and response)', () => {
    const response = Object.assign(new EventEmitter(), { note: 'jean.dupont@example.fr' });

    const record = redactValue({ res: response, msg: 'jean.dupont@example.fr' }) as Record<string, unknown>;

    expect(record.res).toBe(response);
    expect(record.msg).toBe('j***@example.fr');
  });
});
