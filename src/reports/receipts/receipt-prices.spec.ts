import { toCents } from '../../bookings/domain/money';
import { receiptPrices } from './receipt-prices';

const sumOfLines = (prices: ReturnType<typeof receiptPrices>): number =>
  toCents(prices.base) + toCents(prices.obdSupplement ?? '0') + toCents(prices.travelFees);

describe('receipt price lines (messaging-reports §4.6)', () => {
  it('§9-19: an OBD booking shows the supplement split out of base_price, not total − base − travel (0.00)', () => {
    const prices = receiptPrices(
      { obdRequested: true, basePrice: '65.00', travelFees: '3.90', totalPrice: '68.90' },
      '25.00',
    );

    expect(prices).toEqual({ base: '40.00', obdSupplement: '25.00', travelFees: '3.90', total: '68.90' });
    expect(sumOfLines(prices)).toBe(toCents(prices.total));
  });

  it('§9-19: without OBD there is no supplement line and the lines still add up to the total', () => {
    const prices = receiptPrices(
      { obdRequested: false, basePrice: '40.00', travelFees: '0.00', totalPrice: '40.00' },
      '25.00',
    );

    expect(prices).toEqual({ base: '40.00', obdSupplement: null, travelFees: '0.00', total: '40.00' });
    expect(sumOfLines(prices)).toBe(toCents(prices.total));
  });

  it('§9-19: a booking priced under a cheaper OBD tariff never shows a negative base line', () => {
    const prices = receiptPrices(
      { obdRequested: true, basePrice: '20.00', travelFees: '1.50', totalPrice: '21.50' },
      '25.00',
    );

    expect(prices).toEqual({ base: '0.00', obdSupplement: '20.00', travelFees: '1.50', total: '21.50' });
  });
});
