import { DOMAIN_ERROR_STATUS } from './error-codes';

/**
 * The 5xx answers the spec prescribes for expected situations: a payment the provider refused or
 * could not make (H-022, §4.7), a webhook Stripe must redeliver or that cannot be verified
 * (§4.8, decision D13), an inspection report that could not be rendered or stored (§3.7-6), and
 * no free referral code after 10 draws (messaging-reports §2.4).
 */
const PRESCRIBED_5XX: Partial<Record<keyof typeof DOMAIN_ERROR_STATUS, number>> = {
  report_generation_failed: 500,
  payment_failed: 500,
  payment_provider_error: 500,
  webhook_misconfigured: 500,
  webhook_not_configured: 501,
  webhook_processing_failed: 500,
  referral_code_exhausted: 500,
};

describe('DOMAIN_ERROR_STATUS', () => {
  it('maps every domain error code to a 4xx or 503, never another 5xx unless the spec prescribes it', () => {
    for (const [code, status] of Object.entries(DOMAIN_ERROR_STATUS)) {
      const acceptable =
        (status >= 400 && status < 500) ||
        status === 503 ||
        PRESCRIBED_5XX[code as keyof typeof DOMAIN_ERROR_STATUS] === status;
      expect({ code, acceptable }).toEqual({ code, acceptable: true });
    }
  });
});
