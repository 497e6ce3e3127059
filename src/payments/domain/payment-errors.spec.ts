import { DOMAIN_ERROR_STATUS } from '../../common/errors/error-codes';
import { orProviderError, PAYMENT_FAILED_MESSAGE, paymentFailed } from './payment-errors';

describe('payment errors (bookings-payments §4.7)', () => {
  it('H-022: a booking or dispute flow answers 500 with the generic message only', () => {
    const error = paymentFailed();
    expect({ status: error.status, detail: error.detail }).toEqual({
      status: 500,
      detail: 'Payment processing failed. Please try again or contact support.',
    });
    expect(PAYMENT_FAILED_MESSAGE).not.toMatch(/stripe/i);
  });

  it('H-022: a failed Connect call becomes the generic 500; a success passes through', () => {
    expect(() =>
      orProviderError({ status: 'failed', reason: 'card_declined', operation: 'create_login_link' }),
    ).toThrow(expect.objectContaining({ code: 'payment_provider_error', detail: 'Internal server error' }));
    expect(DOMAIN_ERROR_STATUS.payment_provider_error).toBe(500);
    const link = { status: 'created', url: 'https://connect.stripe.com/x' } as const;
    expect(orProviderError(link)).toBe(link);
  });
});
