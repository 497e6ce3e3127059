import { DOMAIN_ERROR_STATUS } from './error-codes';

describe('DOMAIN_ERROR_STATUS', () => {
  it('maps every domain error code to a 4xx or 503, never another 5xx', () => {
    for (const [code, status] of Object.entries(DOMAIN_ERROR_STATUS)) {
      const acceptable = (status >= 400 && status < 500) || status === 503;
      expect({ code, acceptable }).toEqual({ code, acceptable: true });
    }
  });
});
