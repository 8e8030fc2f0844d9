// @vitest-environment jsdom
// The scan's colour flash: how long it lasts, what a second outcome does to it, and that showing
// it does not lay the page out ahead of the frame that shows the confirmation.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FLASH_MS, scanFeedback } from './feedback';

let field: HTMLDivElement;
/** Layout reads (`offsetWidth`) made on the field since the test began. */
let layoutReads: number;

beforeEach(() => {
  vi.useFakeTimers();
  field = document.createElement('div');
  document.body.append(field);
  layoutReads = 0;
  Object.defineProperty(field, 'offsetWidth', {
    get: () => {
      layoutReads += 1;
      return 0;
    },
  });
});

afterEach(() => {
  field.remove();
  vi.useRealTimers();
});

describe('scanFeedback flash', () => {
  it('colours the field for FLASH_MS after a scan, then clears it', () => {
    scanFeedback('success', field);
    expect(field.classList.contains('scan-flash-success')).toBe(true);
    vi.advanceTimersByTime(FLASH_MS - 1);
    expect(field.classList.contains('scan-flash-success')).toBe(true);
    vi.advanceTimersByTime(1);
    expect(field.classList.contains('scan-flash-success')).toBe(false);
  });

  it('shows the latest outcome only when a refusal follows a success', () => {
    scanFeedback('success', field);
    scanFeedback('error', field);
    expect(field.classList.contains('scan-flash-error')).toBe(true);
    expect(field.classList.contains('scan-flash-success')).toBe(false);
  });

  it('runs a repeated outcome its full length again from the second scan', () => {
    scanFeedback('success', field);
    vi.advanceTimersByTime(FLASH_MS - 50);
    scanFeedback('success', field);
    vi.advanceTimersByTime(100);
    expect(field.classList.contains('scan-flash-success')).toBe(true);
    vi.advanceTimersByTime(FLASH_MS - 100);
    expect(field.classList.contains('scan-flash-success')).toBe(false);
  });

  it('reads layout only to restart a flash that is still showing', () => {
    scanFeedback('success', field);
    vi.advanceTimersByTime(FLASH_MS);
    scanFeedback('success', field);
    scanFeedback('error', field);
    expect(layoutReads).toBe(0);
    scanFeedback('error', field);
    expect(layoutReads).toBe(1);
  });
});
