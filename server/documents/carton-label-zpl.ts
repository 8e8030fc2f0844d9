// The carton content label as ZPL II for Zebra printers at 203 dpi on 4×6 in stock. The printer
// draws the SSCC itself with ^BC (Code 128, FNC1 first: GS1-128), so its bars fall on whole dots.
// Every text field is ^FH-escaped: a "^" or "~" in a customer's name is data, never a command.
import { addressLines, assertSscc, contentRows, contentsHeading, weightText } from './carton-label-content';
import type { CartonLabel } from './types';

/** 4 in × 203 dpi. */
const WIDTH_DOTS = 812;
/** 6 in × 203 dpi. */
const LENGTH_DOTS = 1218;
const MARGIN = 24;
/** SSCC narrow bar in dots: 4 × 0.125 mm = 0.5 mm, within GS1's 0.495–1.016 mm. */
const SSCC_MODULE_DOTS = 4;
/** SSCC bar height: 256 dots = 32 mm, GS1's minimum for logistic labels. */
const SSCC_HEIGHT_DOTS = 256;
/** Modules of a GS1-128 SSCC: start C, FNC1, ten digit pairs, check, stop (13). */
const SSCC_MODULES = 11 + 11 + 10 * 11 + 11 + 13;
/**
 * Average width of font 0 (CG Triumvirate) characters as a share of the height; a line is cut to
 * the characters that fit the label at this width, so a wide name loses its end, not the layout.
 */
const FONT0_AVERAGE_WIDTH = 0.6;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Bytes printed as they are; anything else (and ^FH's own "_") goes as `_XX` hex. */
const LITERAL = /^[\x20-\x7e]$/;
const ESCAPED = new Set(['^', '~', '_', '\\']);

/**
 * Field data for `^FH^FD…^FS` under ^CI28 (UTF-8): control characters become spaces, printable ASCII
 * stays, and every other byte — `^`, `~`, `_`, `\` and all of UTF-8 beyond ASCII — is `_XX`.
 */
export function zplFieldData(text: string): string {
  // eslint-disable-next-line no-control-regex -- control characters (tabs, newlines) become spaces
  const flat = text.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  let out = '';
  for (const byte of Buffer.from(flat, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += LITERAL.test(char) && !ESCAPED.has(char) ? char : `_${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** `text` cut to what fits `width` dots in font 0 at `height`, whole graphemes only. */
function cut(text: string, height: number, width = WIDTH_DOTS - 2 * MARGIN): string {
  const max = Math.floor(width / (height * FONT0_AVERAGE_WIDTH));
  const parts = [...graphemes.segment(text.normalize('NFC'))].map((s) => s.segment);
  return parts.length <= max ? text : `${parts.slice(0, max - 3).join('').trimEnd()}...`;
}

/** One text field: font 0 at `height` dots, its top-left at (x, y). */
function field(x: number, y: number, height: number, text: string, width?: number): string {
  return `^FO${x},${y}^A0N,${height},${height}^FH^FD${zplFieldData(cut(text, height, width))}^FS`;
}

/** A full-width field with the text aligned in a one-line ^FB block (for text we composed). */
function aligned(y: number, height: number, text: string, align: 'R' | 'C'): string {
  return `^FO${MARGIN},${y}^A0N,${height},${height}^FB${WIDTH_DOTS - 2 * MARGIN},1,0,${align}^FH^FD${zplFieldData(text)}^FS`;
}

function rule(y: number): string {
  return `^FO${MARGIN},${y}^GB${WIDTH_DOTS - 2 * MARGIN},3,3^FS`;
}

/** `copies`: labels the printer makes of this one format (^PQ), for a job that asks for more than one. */
export function cartonLabelZpl(label: CartonLabel, options: { copies?: number } = {}): string {
  assertSscc(label.sscc);
  const out = ['^XA', '^CI28', `^PW${WIDTH_DOTS}`, `^LL${LENGTH_DOTS}`, '^LH0,0'];
  let y = MARGIN;
  out.push(field(MARGIN, y, 20, 'FROM'), field(MARGIN, y + 24, 28, label.ownerName));
  y += 64;
  out.push(rule(y));

  y += 14;
  out.push(field(MARGIN, y, 20, 'SHIP TO'));
  y += 26;
  out.push(field(MARGIN, y, 48, label.shipTo.name));
  y += 54;
  for (const l of addressLines(label.shipTo)) {
    out.push(field(MARGIN, y, 34, l));
    y += 40;
  }
  y += 6;
  out.push(rule(y));

  y += 14;
  out.push(field(MARGIN, y, 20, 'ORDER'), aligned(y, 20, 'CARTON', 'R'));
  out.push(field(MARGIN, y + 26, 44, label.orderNumber, (WIDTH_DOTS - 2 * MARGIN) * 0.6));
  out.push(aligned(y + 26, 44, `${label.cartonNumber} of ${label.cartonCount}`, 'R'));
  out.push(field(MARGIN, y + 80, 30, `Weight ${weightText(label.weightKg)}`));
  y += 124;
  out.push(rule(y));

  y += 14;
  out.push(field(MARGIN, y, 20, contentsHeading(label, '-')));
  y += 28;
  for (const row of contentRows(label, 'x')) {
    out.push(field(MARGIN, y, 28, row));
    y += 32;
  }

  // SSCC at the foot, centred: >; starts subset C, >8 is FNC1 (which makes Code 128 GS1-128),
  // then "00" and the 18 digits as pairs. The printer adds the symbol's check character.
  const hriY = LENGTH_DOTS - MARGIN - 34;
  const barY = hriY - 10 - SSCC_HEIGHT_DOTS;
  const barX = Math.round((WIDTH_DOTS - SSCC_MODULES * SSCC_MODULE_DOTS) / 2);
  out.push(field(MARGIN, barY - 28, 20, 'SSCC'));
  out.push(`^FO${barX},${barY}^BY${SSCC_MODULE_DOTS}^BCN,${SSCC_HEIGHT_DOTS},N,N,N^FD>;>800${label.sscc}^FS`);
  out.push(aligned(hriY, 34, `(00) ${label.sscc}`, 'C'));
  const copies = options.copies ?? 1;
  if (!Number.isInteger(copies) || copies < 1) throw new RangeError(`Copies of a label are a whole number from 1, not ${copies}`);
  if (copies > 1) out.push(`^PQ${copies}`);
  out.push('^XZ');
  return `${out.join('\n')}\n`;
}
