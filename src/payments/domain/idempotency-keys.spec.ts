import { DerivedKeys, IdempotencyKeys } from './idempotency-keys';

const BOOKING = '6f1c2a4e-8b1d-4c3e-9f0a-1b2c3d4e5f60';
const BUYER = '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';
const AVAILABILITY = '11111111-2222-4333-8444-555555555555';
const DISPUTE = '99999999-8888-4777-8666-555555555555';
const PROFILE = '12345678-1234-4234-8234-123456789abc';

describe('Stripe idempotency keys (bookings-payments §4.6, decisions D5–D7)', () => {
  it('C-004: cancellation and refund keys are stable per booking, with no timestamp', () => {
    expect(IdempotencyKeys.cancel(BOOKING)).toBe(`cancel_${BOOKING}`);
    expect(IdempotencyKeys.cancel(BOOKING)).toBe(IdempotencyKeys.cancel(BOOKING));
    expect(IdempotencyKeys.partialRefund(BOOKING, 50)).toBe(`refund_${BOOKING}_50pct`);
    expect(IdempotencyKeys.refuse(BOOKING)).toBe(`refuse_${BOOKING}`);
    expect(IdempotencyKeys.pendingExpiry(BOOKING)).toBe(`pending_expire_${BOOKING}`);
    expect(IdempotencyKeys.lateCancelCapture(BOOKING)).toBe(`late_cancel_capture_${BOOKING}`);
  });

  it('C-005 D6: one release key for the one-shot job and the overdue sweep', () => {
    expect(IdempotencyKeys.release(BOOKING)).toBe(`release_${BOOKING}`);
  });

  it('D5 N13.13: the authorisation key carries 8 random hex characters, so no attempt replays another', () => {
    const first = IdempotencyKeys.bookingAuthorization(BUYER, AVAILABILITY);
    expect(first).toMatch(new RegExp(`^booking_${BUYER}_${AVAILABILITY}_[0-9a-f]{8}$`));
    expect(IdempotencyKeys.bookingAuthorization(BUYER, AVAILABILITY)).not.toBe(first);
    expect(IdempotencyKeys.bookingAuthorization(BUYER, AVAILABILITY, 'deadbeef')).toBe(
      `booking_${BUYER}_${AVAILABILITY}_deadbeef`,
    );
  });

  it('D7: dispute, compensation and Connect keys', () => {
    expect(IdempotencyKeys.disputeResolvedForBuyer(DISPUTE)).toBe(`dispute_resolve_${DISPUTE}`);
    expect(IdempotencyKeys.disputeResolvedForMechanic(DISPUTE)).toBe(`dispute_capture_${DISPUTE}`);
    expect(IdempotencyKeys.compensation('pi_3Nabc')).toBe('cancel_pi_3Nabc');
    expect(IdempotencyKeys.connectAccount(PROFILE)).toBe(`connect_account_${PROFILE}`);
  });

  it('derives the keys of the calls a helper makes instead of the one asked for (§4.3, §4.4)', () => {
    expect(DerivedKeys.fullRefund(IdempotencyKeys.cancel(BOOKING))).toBe(`fullrefund_cancel_${BOOKING}`);
    expect(DerivedKeys.partialCapture(IdempotencyKeys.partialRefund(BOOKING, 50))).toBe(
      `partcap_refund_${BOOKING}_50pct`,
    );
    expect(DerivedKeys.cancel(IdempotencyKeys.partialRefund(BOOKING, 50))).toBe(
      `cancel_refund_${BOOKING}_50pct`,
    );
    expect(DerivedKeys.cancel(IdempotencyKeys.disputeResolvedForBuyer(DISPUTE))).toBe(
      `cancel_dispute_resolve_${DISPUTE}`,
    );
  });

  it('keeps every key within Stripe’s 255 characters', () => {
    expect(IdempotencyKeys.bookingAuthorization(BUYER, AVAILABILITY).length).toBeLessThanOrEqual(255);
    expect(DerivedKeys.fullRefund(IdempotencyKeys.lateCancelCapture(BOOKING)).length).toBeLessThanOrEqual(
      255,
    );
  });
});
