import { describe, expect, it } from 'vitest';
import { createDeduper } from './dedupe';

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

describe('createDeduper', () => {
  it('reports a code once while it stays in view', () => {
    const time = clock();
    const dedupe = createDeduper({ absentFrames: 3, absentMs: 1500, now: time.now });
    expect(dedupe.frame(['A'])).toEqual(['A']);
    for (let i = 0; i < 100; i++) {
      time.advance(33);
      expect(dedupe.frame(['A'])).toEqual([]);
    }
  });

  it('reports it again after it was absent for the given number of frames', () => {
    const time = clock();
    const dedupe = createDeduper({ absentFrames: 3, absentMs: 1500, now: time.now });
    dedupe.frame(['A']);
    dedupe.frame([]);
    dedupe.frame([]);
    expect(dedupe.frame(['A'])).toEqual([]);
    dedupe.frame([]);
    dedupe.frame([]);
    dedupe.frame([]);
    expect(dedupe.frame(['A'])).toEqual(['A']);
  });

  it('reports it again once the absence lasted long enough, however few frames were decoded', () => {
    const time = clock();
    const dedupe = createDeduper({ absentFrames: 30, absentMs: 1500, now: time.now });
    dedupe.frame(['A']);
    time.advance(1000);
    expect(dedupe.frame(['A'])).toEqual([]);
    time.advance(1499);
    dedupe.frame([]);
    expect(dedupe.frame(['A'])).toEqual([]);
    time.advance(1500);
    expect(dedupe.frame(['A'])).toEqual(['A']);
  });

  it('keeps codes apart, and reset forgets them all', () => {
    const dedupe = createDeduper({ now: () => 0 });
    expect(dedupe.frame(['A', 'B'])).toEqual(['A', 'B']);
    expect(dedupe.frame(['B', 'C'])).toEqual(['C']);
    dedupe.reset();
    expect(dedupe.frame(['A', 'B', 'C'])).toEqual(['A', 'B', 'C']);
  });
});
