import { geodesicKm } from '../../../test/support/geodesic';
import { priceBooking, type Tariff } from './pricing';

const D4: Tariff = {
  baseInspectionPrice: '40.00',
  obdSupplement: '25.00',
  commissionRate: '0.20',
  travelFeePerKm: '0.30',
};

const price = (distanceKm: number, options: { freeZoneKm?: number; obd?: boolean } = {}) =>
  priceBooking({ distanceKm, freeZoneKm: options.freeZoneKm ?? 10, obdRequested: options.obd ?? false }, D4);

describe('booking pricing (bookings-payments §6, D4)', () => {
  it.each([
    [5, 10, false, '40.00', '0.00', '40.00', '8.00', '32.00'],
    [20, 10, false, '40.00', '3.00', '43.00', '8.60', '34.40'],
    [30, 10, false, '40.00', '6.00', '46.00', '9.20', '36.80'],
    [50, 10, false, '40.00', '12.00', '52.00', '10.40', '41.60'],
    [10, 0, false, '40.00', '3.00', '43.00', '8.60', '34.40'],
    [5, 10, true, '65.00', '0.00', '65.00', '13.00', '52.00'],
  ])(
    'I-12: §6 worked example %s km (free zone %s, OBD %s)',
    (km, freeZoneKm, obd, base, travel, total, commission, payout) => {
      const result = price(km, { freeZoneKm, obd });
      expect(result).toEqual({
        basePrice: base,
        travelFees: travel,
        totalPrice: total,
        commissionRate: '0.2000',
        commissionAmount: commission,
        mechanicPayout: payout,
        amountCents: Math.round(Number(total) * 100),
        commissionCents: Math.round(Number(commission) * 100),
      });
    },
  );

  it('BOOK-16: the reference cases (d=8, d=10 → no fee; d=20 → 3.00; free zone 0, d=10 → 3.00)', () => {
    expect(price(8).travelFees).toBe('0.00');
    expect(price(10).travelFees).toBe('0.00');
    expect(price(20).travelFees).toBe('3.00');
    expect(price(10, { freeZoneKm: 0 }).travelFees).toBe('3.00');
  });

  it('BOOK-16: a real geodesic distance (~30 km due north of Toulouse on WGS-84)', () => {
    const d = geodesicKm(43.6047, 1.4442, 43.8748, 1.4442); // 30.010044444872573
    // (d − 10) × 0.30 = 6.00301… → 6.00; total 46.00, commission 9.20, payout 36.80.
    expect(price(d)).toMatchObject({
      travelFees: '6.00',
      totalPrice: '46.00',
      commissionAmount: '9.20',
      mechanicPayout: '36.80',
      amountCents: 4600,
      commissionCents: 920,
    });
  });

  it('half-up at the half cent, on the exact decimals, never on binary floats', () => {
    // 11.65 km × 0.30 = 3.495 exactly → 3.50 (the float product 3.4949999… would round down).
    expect(price(11.65, { freeZoneKm: 0 }).travelFees).toBe('3.50');
    // Parity with the original: the subtraction is a float one (21.65 − 10 = 11.649999999999999).
    expect(price(21.65).travelFees).toBe('3.49');
    // Commission at half a cent: 40.05 × 0.20 = 8.01; 40.04 × 0.125 = 5.005 → 5.01.
    const zero = { distanceKm: 0, freeZoneKm: 10, obdRequested: false };
    expect(priceBooking(zero, { ...D4, baseInspectionPrice: '40.05' })).toMatchObject({
      commissionAmount: '8.01',
      mechanicPayout: '32.04',
    });
    expect(
      priceBooking(zero, { ...D4, commissionRate: '0.125', baseInspectionPrice: '40.04' }),
    ).toMatchObject({ commissionRate: '0.1250', commissionAmount: '5.01', mechanicPayout: '35.03' });
  });

  it('I-12: payout + commission = total, for distances across the radius', () => {
    for (let km = 0; km <= 50; km += 0.37) {
      const result = price(km, { obd: km > 25 });
      expect(result.amountCents).toBe(Math.round(Number(result.totalPrice) * 100));
      expect(Math.round(Number(result.mechanicPayout) * 100) + result.commissionCents).toBe(
        result.amountCents,
      );
    }
  });

  it('a tiny distance beyond the zone (exponent notation in its text) is priced, not rejected', () => {
    expect(price(10 + 1e-9).travelFees).toBe('0.00');
  });
});
