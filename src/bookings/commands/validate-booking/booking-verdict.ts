import { type BookingEvent } from '../../domain/booking-events';
import { type AppliedTransition } from '../transitions/booking-transition.runner';
import { type ValidationResult, type Verdict } from './validate-booking.command';

/** The route requires a verified buyer (§3.8, §3.9). */
const buyer = (userId: string) => ({ role: 'buyer' as const, userId, emailVerified: true });

/**
 * T12 or T13. The machine refuses a dispute from `confirmed` ([FIX → N13.12]: only the no-show path
 * leads there) and a second dispute (I-10), with "Cannot validate…" for a wrong state.
 */
export function verdictEvent(
  buyerId: string,
  verdict: Verdict,
  photoUrls: readonly string[] | null = null,
): BookingEvent {
  if (verdict.validated) return { type: 'validate', actor: buyer(buyerId) };
  return {
    type: 'dispute',
    actor: buyer(buyerId),
    reason: verdict.reason,
    description: verdict.description,
    photoUrls,
  };
}

/** §3.8 responses; the delay is the configured one (D12), "2 hours" by default. */
export function verdictResponse(applied: AppliedTransition, releaseDelayHours: number): ValidationResult {
  if (applied.decision.to === 'validated')
    return { status: 'validated', payment_release: `scheduled in ${releaseDelayHours} hours` };
  return { status: 'disputed', dispute_opened: true };
}
