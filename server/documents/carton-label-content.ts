// What both carton labels (PDF and ZPL) say, worded once so the two never disagree.
import { isValidSscc } from '../../src/domain/gtin';
import type { CartonLabel, ShipTo } from './types';

/** Content rows listed before "+ n more SKUs". */
const CONTENT_ROWS = 6;

/** Address lines under the name (company first): what a 4×6 label has room for above the SSCC. */
const ADDRESS_LINES = 5;

/**
 * The lines under the name, at most ADDRESS_LINES: extra lines are joined onto the first ones, so
 * the postcode, city and country at the end are never the part that is lost.
 */
export function addressLines(shipTo: ShipTo): string[] {
  const lines = [shipTo.company ?? '', ...shipTo.lines].map((line) => line.trim()).filter(Boolean);
  while (lines.length > ADDRESS_LINES) lines.splice(0, 2, `${lines[0]}, ${lines[1]}`);
  return lines;
}

/** Refuses an SSCC a scanner would refuse: a label with a bad code must not reach a carton. */
export function assertSscc(sscc: string): void {
  if (!isValidSscc(sscc) || !/^\d{18}$/.test(sscc)) throw new RangeError(`Not an SSCC (18 digits, valid check digit): "${sscc}"`);
}

/** "ABC-1 × 3" rows, at most CONTENT_ROWS, then how many more SKUs the carton holds. */
export function contentRows(label: CartonLabel, times = '×'): string[] {
  const rows = label.contents.slice(0, CONTENT_ROWS).map((c) => `${c.sku} ${times} ${c.qty}`);
  const more = label.contents.length - rows.length;
  if (more > 0) rows.push(`+ ${more} more SKU${more === 1 ? '' : 's'}`);
  return rows;
}

/** "CONTENTS · 12 units" (the separator is the caller's: ZPL keeps to ASCII). */
export function contentsHeading(label: CartonLabel, separator = '·'): string {
  const units = label.contents.reduce((sum, c) => sum + c.qty, 0);
  return `CONTENTS ${separator} ${units} unit${units === 1 ? '' : 's'}`;
}

export function weightText(weightKg: number): string {
  return `${weightKg.toFixed(2)} kg`;
}
