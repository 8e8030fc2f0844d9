// One warehouse clock: the date around midnight in zones far from UTC, the configuration check,
// and an expiry rule deciding alike wherever "today" is computed.
import { describe, expect, it } from 'vitest';
import { parseWarehouseTimeZone } from '../../server/config';
import { isTimeZone, todayIn } from '../../src/domain/warehouse-clock';

// Kiritimati is UTC+14 and Pago Pago UTC−11: 25 hours apart, so UTC and the host's clock disagree
// with them about the date for most of each day.
const KIRITIMATI_LAST_SECOND = Date.parse('2026-11-24T09:59:59.999Z'); // 23:59:59.999 on the 24th there
const KIRITIMATI_MIDNIGHT = Date.parse('2026-11-24T10:00:00.000Z'); // 00:00 on the 25th there

describe('todayIn', () => {
  it('turns the date at the zone’s midnight, not at UTC’s or the host’s', () => {
    expect(todayIn('Pacific/Kiritimati', KIRITIMATI_LAST_SECOND)).toBe('2026-11-24');
    expect(todayIn('Pacific/Kiritimati', KIRITIMATI_MIDNIGHT)).toBe('2026-11-25');
    expect(todayIn('UTC', KIRITIMATI_MIDNIGHT)).toBe('2026-11-24');
    expect(todayIn('Pacific/Pago_Pago', Date.parse('2026-11-25T10:59:59Z'))).toBe('2026-11-24');
    expect(todayIn('Pacific/Pago_Pago', Date.parse('2026-11-25T11:00:00Z'))).toBe('2026-11-25');
  });

  it('follows daylight saving time', () => {
    // New York is UTC−4 in July, UTC−5 in January.
    expect(todayIn('America/New_York', Date.parse('2026-07-02T03:59:59Z'))).toBe('2026-07-01');
    expect(todayIn('America/New_York', Date.parse('2026-07-02T04:00:00Z'))).toBe('2026-07-02');
    expect(todayIn('America/New_York', Date.parse('2026-01-02T04:59:59Z'))).toBe('2026-01-01');
  });

  it('gives the server and a device in another zone the same day for the same instant', () => {
    // The device runs in whatever zone its OS has; both compute from the configured zone only.
    const server = (instant: number) => todayIn(parseWarehouseTimeZone('Pacific/Kiritimati'), instant);
    const device = (instant: number) => todayIn('Pacific/Kiritimati', new Date(instant));
    for (const instant of [KIRITIMATI_LAST_SECOND, KIRITIMATI_MIDNIGHT]) expect(device(instant)).toBe(server(instant));
  });
});

describe('WAREHOUSE_TIME_ZONE', () => {
  it('defaults to UTC and takes IANA names', () => {
    expect(parseWarehouseTimeZone(undefined)).toBe('UTC');
    expect(parseWarehouseTimeZone('  ')).toBe('UTC');
    expect(parseWarehouseTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
  });

  it('refuses a name that is not a time zone, saying what it wants', () => {
    for (const bad of ['Mars/Olympus', 'CEST+2', 'Europe/Berlin\u0000']) {
      expect(() => parseWarehouseTimeZone(bad)).toThrow(/WAREHOUSE_TIME_ZONE must be an IANA time zone name/);
    }
    expect(isTimeZone('not a zone')).toBe(false);
  });
});
