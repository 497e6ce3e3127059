import { drawReferralCode } from './referral-code';

describe('drawReferralCode', () => {
  it('draws EMECANO- and 6 characters of A–Z0–9, using the whole alphabet', () => {
    const codes = Array.from({ length: 2_000 }, drawReferralCode);
    for (const code of codes) expect(code).toMatch(/^EMECANO-[A-Z0-9]{6}$/);
    const seen = new Set(codes.flatMap((code) => [...code.slice(8)]));
    expect(seen.size).toBe(36);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
