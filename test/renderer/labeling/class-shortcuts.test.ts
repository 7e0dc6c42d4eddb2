import { describe, expect, it } from 'vitest';
import {
  applyClassPress,
  RESERVED_LETTERS,
  shortcutForClass,
} from '../../../renderer/labeling/class-shortcuts';

describe('class shortcuts', () => {
  it('uses 1-9, then unreserved letters in order', () => {
    expect([0, 1, 8].map(shortcutForClass)).toEqual(['1', '2', '9']);
    // a b c d e g (f is reserved) i …
    expect([9, 10, 11, 12, 13, 14].map(shortcutForClass)).toEqual(['a', 'b', 'c', 'd', 'e', 'g']);
    const keys = Array.from({ length: 27 }, (_, i) => shortcutForClass(i)).filter(Boolean);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.some((k) => RESERVED_LETTERS.has(k!))).toBe(false);
    expect(shortcutForClass(9 + 26 - RESERVED_LETTERS.size)).toBeNull();
  });

  it('replaces in single-label tasks and toggles in multi-label tasks', () => {
    expect(applyClassPress(['head'], 'femur', false)).toEqual(['femur']);
    expect(applyClassPress([], 'head', false)).toEqual(['head']);
    expect(applyClassPress(['head'], 'head', false)).toEqual(['head']);
    expect(applyClassPress(['head'], 'femur', true)).toEqual(['head', 'femur']);
    expect(applyClassPress(['head', 'femur'], 'head', true)).toEqual(['femur']);
  });
});
