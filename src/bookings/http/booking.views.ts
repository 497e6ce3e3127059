import { type BookingEntity } from '../persistence/booking.entity';

export type BookingViewer = 'admin' | 'buyer' | 'mechanic';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/**
 * The booking field sets of bookings-payments §3.0.1, by the caller's role. Money stays a decimal
 * string (§0.5). Never exposed to anyone: meeting coordinates, commission rate, the PaymentIntent,
 * the check-in code, reminder flags, the mechanic's GPS.
 */
export function bookingView(booking: BookingEntity, viewer: BookingViewer): Record<string, unknown> {
  return {
    id: booking.id,
    buyer_id: booking.buyerId,
    mechanic_id: booking.mechanicId,
    availability_id: booking.availabilityId,
    status: booking.status,
    vehicle_type: booking.vehicleType,
    vehicle_brand: booking.vehicleBrand,
    vehicle_model: booking.vehicleModel,
    vehicle_year: booking.vehicleYear,
    vehicle_plate: booking.vehiclePlate,
    meeting_address: booking.meetingAddress,
    distance_km: booking.distanceKm,
    obd_requested: booking.obdRequested,
    base_price: booking.basePrice,
    travel_fees: booking.travelFees,
    ...(viewer !== 'mechanic' && { total_price: booking.totalPrice }),
    ...(viewer === 'admin' && { commission_amount: booking.commissionAmount }),
    ...(viewer !== 'buyer' && { mechanic_payout: booking.mechanicPayout }),
    check_in_at: iso(booking.checkInAt),
    check_out_at: iso(booking.checkOutAt),
    payment_released_at: iso(booking.paymentReleasedAt),
    created_at: iso(booking.createdAt),
    confirmed_at: iso(booking.confirmedAt),
    cancelled_at: iso(booking.cancelledAt),
    cancelled_by: booking.cancelledBy,
    refund_percentage: booking.refundPercentage,
    refund_amount: booking.refundAmount,
  };
}
