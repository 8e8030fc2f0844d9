// The keyboard-wedge decoder: terminators, AIM prefixes, the GS1 separator, duplicates, bursts.
import { describe, expect, it } from 'vitest';
import { DUPLICATE_WINDOW_MS, createWedgeDecoder, parseAimPrefix } from './wedge';
import type { WedgeDecoder, WedgeKey, WedgeStep } from './wedge';

/** A controllable clock. */
function clock(start = 1_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

/** Types `text` one key per `gapMs`, then returns the step of the last key. */
function type(decoder: WedgeDecoder, c: ReturnType<typeof clock>, keys: Array<string | WedgeKey>, gapMs = 5): WedgeStep[] {
  return keys.map((k) => {
    c.advance(gapMs);
    return decoder.key(typeof k === 'string' ? { key: k } : k);
  });
}

const chars = (s: string) => [...s];

function scanOf(steps: WedgeStep[]) {
  const last = steps.at(-1);
  if (last?.type !== 'scan') throw new Error(`expected a scan, got ${JSON.stringify(last)}`);
  return last.scan;
}

describe('wedge decoder', () => {
  it('ends a scan at Enter', () => {
    const c = clock();
    const d = createWedgeDecoder({ now: c.now });
    const scan = scanOf(type(d, c, [...chars('0123456789012'), 'Enter']));
    expect(scan).toMatchObject({ raw: '0123456789012', text: '0123456789012', symbology: null, source: 'wedge' });
    expect(scan.at).toBe(c.now());
  });

  it('ends a scan at Tab', () => {
    const c = clock();
    const d = createWedgeDecoder({ now: c.now });
    expect(scanOf(type(d, c, [...chars('A-01-03'), 'Tab'])).text).toBe('A-01-03');
  });

  it('ignores a terminator with nothing typed (CR then LF)', () => {
    const c = clock();
    const d = createWedgeDecoder({ now: c.now });
    const steps = type(d, c, [...chars('SKU1'), 'Enter', 'Enter']);
    expect(steps.at(-2)?.type).toBe('scan');
    expect(steps.at(-1)).toEqual({ type: 'empty' });
  });

  it.each([
    [']C1', '0109506000134352'],
    [']E0', '9506000134352'],
    [']d2', '0109506000134352' + '\x1d' + '10ABC'],
    [']Q3', '0109506000134352'],
  ])('strips the AIM identifier %s into symbology', (aim, data) => {
    const c = clock();
    const d = createWedgeDecoder({ now: c.now });
    const scan = scanOf(type(d, c, [...chars(aim + data), 'Enter']));
    expect(scan).toMatchObject({ raw: aim + data, text: data, symbology: aim });
  });

  it('does not take a bracket inside the data for an AIM identifier', () => {
    expect(parseAimPrefix('AB]C1')).toEqual({ symbology: null, text: 'AB]C1' });
    expect(parseAimPrefix(']')).toEqual({ symbology: null, text: ']' });
  });

  it('keeps Ctrl+] as the GS1 group separator', () => {
    const c = clock();
    const d = createWedgeDecoder({ now: c.now });
    const steps = type(d, c, [...chars(']C10109506000134352'), { key: ']', ctrlKey: true }, ...chars('10LOT7'), 'Enter']);
    expect(steps[19]).toEqual({ type: 'insert', text: '\x1d' });
    expect(scanOf(steps).text).toBe('0109506000134352\x1d10LOT7');
  });

  it('keeps a literal \\x1d as the group separator', () => {
    const c = clock();
    const d = createWedgeDecoder({ now: c.now });
    expect(scanOf(type(d, c, [...chars('0101234567890128'), '\x1d', ...chars('21S1'), 'Enter'])).text).toBe(
      '0101234567890128\x1d21S1',
    );
  });

  it('does not take other Ctrl combinations as data', () => {
    const c = clock();
    const d = createWedgeDecoder({ now: c.now });
    expect(d.key({ key: 'v', ctrlKey: true })).toEqual({ type: 'pass' });
    expect(d.key({ key: 'Shift' })).toEqual({ type: 'pass' });
    expect(d.key({ key: 'Enter', ctrlKey: true })).toEqual({ type: 'pass' });
  });

  it('counts the same value twice within the window once', () => {
    const c = clock();
    const d = createWedgeDecoder({ now: c.now });
    type(d, c, [...chars('SKU-42'), 'Enter']);
    const again = type(d, c, [...chars('SKU-42'), 'Enter']);
    expect(again.at(-1)).toEqual({ type: 'duplicate', text: 'SKU-42' });
  });

  it('counts the same value again after the window (a real second unit)', () => {
    const c = clock();
    const d = createWedgeDecoder({ now: c.now });
    type(d, c, [...chars('SKU-42'), 'Enter']);
    c.advance(DUPLICATE_WINDOW_MS);
    expect(type(d, c, [...chars('SKU-42'), 'Enter']).at(-1)?.type).toBe('scan');
  });

  it('counts a different value within the window', () => {
    const c = clock();
    const d = createWedgeDecoder({ now: c.now });
    type(d, c, [...chars('SKU-42'), 'Enter']);
    expect(scanOf(type(d, c, [...chars('SKU-43'), 'Enter'])).text).toBe('SKU-43');
  });

  it('compares duplicates without the AIM identifier', () => {
    const c = clock();
    const d = createWedgeDecoder({ now: c.now });
    type(d, c, [...chars(']E09506000134352'), 'Enter']);
    expect(type(d, c, [...chars('9506000134352'), 'Enter']).at(-1)?.type).toBe('duplicate');
  });

  it('joins a barcode split across two bursts into one scan', () => {
    const c = clock();
    const d = createWedgeDecoder({ now: c.now });
    const first = type(d, c, chars(']C101095060001'));
    c.advance(45); // the gap between the scanner's two bursts
    const second = type(d, c, [...chars('34352'), 'Enter']);
    expect([...first, ...second].filter((s) => s.type === 'scan')).toHaveLength(1);
    expect(scanOf(second)).toMatchObject({ text: '0109506000134352', symbology: ']C1', source: 'wedge' });
  });

  it('takes slowly typed keys as a manual entry', () => {
    const c = clock();
    const d = createWedgeDecoder({ now: c.now });
    expect(scanOf(type(d, c, [...chars('A-01-03'), 'Enter'], 180)).source).toBe('manual');
  });

  it('takes the field text as the scan when one is given', () => {
    const c = clock();
    const d = createWedgeDecoder({ now: c.now });
    type(d, c, chars('A-01'));
    const step = d.key({ key: 'Enter' }, 'A-01-03 ');
    expect(step).toMatchObject({ type: 'scan', scan: { text: 'A-01-03', source: 'manual' } });
  });
});
