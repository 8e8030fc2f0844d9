// Weights as packers type them and wedge scales send them.
import { describe, expect, it } from 'vitest';
import { parseWeight } from './weight';

describe('parseWeight', () => {
  it.each([
    ['1.25', 1250],
    ['1,25 kg', 1250],
    ['850 g', 850],
    ['2.4 lb', 1089],
    ['12 oz', 340],
    ['ST,GS,+001.250kg', 1250],
    ['  0.4KG\r', 400],
  ])('reads %j as %i g', (text, grams) => {
    expect(parseWeight(text)).toEqual({ ok: true, grams });
  });

  it.each(['', 'kg', '0', '-1.2', '0.0004', '1200 kg'])('refuses %j with what to type', (text) => {
    const result = parseWeight(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/weight|weighs|scale/);
  });
});
