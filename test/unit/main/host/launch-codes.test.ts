import { describe, expect, it } from 'vitest';
import { createLaunchCodes } from '../../../../main/host/launch-codes';

describe('launch codes', () => {
  it('are 128-bit hex, redeemable once, and not after their time', () => {
    let now = 1000;
    const codes = createLaunchCodes({ now: () => now });
    const code = codes.mint(60_000);
    expect(code).toMatch(/^[0-9a-f]{32}$/);
    expect(codes.redeem(code)).toBe(true);
    expect(codes.redeem(code)).toBe(false);
    const late = codes.mint(60_000);
    now += 60_000;
    expect(codes.redeem(late)).toBe(false);
    for (const bad of [undefined, 42, '', 'x'.repeat(32), ['a']]) expect(codes.redeem(bad)).toBe(false);
  });

  it('keep at most `max` codes alive, dropping the oldest', () => {
    const codes = createLaunchCodes({ max: 3 });
    const minted = Array.from({ length: 5 }, () => codes.mint());
    expect(codes.live()).toBe(3);
    expect(codes.redeem(minted[0])).toBe(false);
    expect(codes.redeem(minted[4])).toBe(true);
  });
});
