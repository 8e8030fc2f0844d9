// zod schemas for CSV cells, which are always strings ('' when empty): the conversions every
// import shares, so "yes", "TRUE" and "1" mean the same in each file.
import { z } from 'zod';
import { text } from '../../src/domain/text';

/** A trimmed cell; '' becomes null. */
export const optionalCell = (max = 200) =>
  text().trim().max(max, `Keep it to ${max} characters`).transform((value) => (value === '' ? null : value));

/** A trimmed cell that must not be empty. */
export const requiredCell = (max = 200) => text().trim().min(1, 'This cell is empty; fill it in').max(max, `Keep it to ${max} characters`);

const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0', '']);

/** true/false, yes/no, y/n, 1/0 in any case; empty is false. */
export const booleanCell = z.string().transform((value, context) => {
  const key = value.trim().toLowerCase();
  if (TRUE.has(key)) return true;
  if (FALSE.has(key)) return false;
  context.addIssue({ code: 'custom', message: `"${value}" is not true or false: write true, false, yes, no, 1 or 0` });
  return z.NEVER;
});

/** A non-negative decimal number (a `.` or `,` before the decimals); empty is null. */
export const optionalMeasureCell = z.string().transform((value, context) => {
  const cell = value.trim();
  if (cell === '') return null;
  const number = /^\d+([.,]\d+)?$/.test(cell) ? Number(cell.replace(',', '.')) : NaN;
  if (Number.isFinite(number)) return number;
  context.addIssue({ code: 'custom', message: `"${value}" is not a number of zero or more (e.g. 12.5)` });
  return z.NEVER;
});

/** A whole number within [min, max]; empty is null. */
export const optionalIntegerCell = (min: number, max = 2_000_000_000) =>
  z.string().transform((value, context) => {
    const cell = value.trim();
    if (cell === '') return null;
    const number = /^-?\d+$/.test(cell) ? Number(cell) : NaN;
    if (Number.isSafeInteger(number) && number >= min && number <= max) return number;
    context.addIssue({ code: 'custom', message: `"${value}" is not a whole number from ${min} to ${max}` });
    return z.NEVER;
  });

/** Values separated by `|` (or, where `spaces` is set, by whitespace too), trimmed, empties dropped. */
export const listCell = (options: { spaces?: boolean } = {}) =>
  text().transform((value) => value.split(options.spaces ? /[|\s]+/ : '|').map((item) => item.trim()).filter(Boolean));
