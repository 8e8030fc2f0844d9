// A device's pending report as the server reads it from request headers: plain bounded numbers
// only, anything else dropped.
import { describe, expect, it } from 'vitest';
import { PENDING_AGE_HEADER, PENDING_COUNT_HEADER, pendingReportHeaders, readPendingReport } from './device-health';

const headers = (pending: string | string[] | undefined, age: string | string[] | undefined) => ({ [PENDING_COUNT_HEADER]: pending, [PENDING_AGE_HEADER]: age });

describe('readPendingReport', () => {
  it('reads what pendingReportHeaders writes', () => {
    expect(readPendingReport(pendingReportHeaders({ pending: 12, oldestAgeSeconds: 840 }))).toEqual({ pending: 12, oldestAgeSeconds: 840 });
    expect(readPendingReport(headers('0', '0'))).toEqual({ pending: 0, oldestAgeSeconds: 0 });
  });

  it('drops anything but plain decimal numbers of at most nine digits', () => {
    for (const [pending, age] of [
      ['-1', '5'], ['1e3', '5'], ['0x10', '5'], [' 3', '5'], ['3.5', '5'], ['3', '1234567890'], ['3', ''], ['\u00003', '5'], ['٣', '5'],
    ] as const) {
      expect(readPendingReport(headers(pending, age)), `${pending} / ${age}`).toBeNull();
    }
    expect(readPendingReport(headers(['3', '4'], '5'))).toBeNull();
    expect(readPendingReport(headers('3', undefined))).toBeNull();
    expect(readPendingReport({})).toBeNull();
  });

  it('takes no age from a device with nothing unsent', () => {
    expect(readPendingReport(headers('0', '999'))).toEqual({ pending: 0, oldestAgeSeconds: 0 });
  });
});
