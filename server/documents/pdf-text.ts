// Text a standard PDF font can draw. The 14 standard fonts encode WinAnsi (Latin-1 and a few more:
// "Zoë Ø", "Köln", "€"); pdf-lib throws on anything else, so each character the font cannot encode
// is replaced by a visible "?" before drawing, and no name ever stops a label from printing.
import { breakTextIntoLines, type PDFFont } from 'pdf-lib';

/** Printed in place of a character (a whole grapheme: "👍🏽" is one) the font cannot encode. */
export const REPLACEMENT = '?';

const ELLIPSIS = '…';

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Code points each font encodes, by font name (the set is the font's own table, read once). */
const encodable = new Map<string, ReadonlySet<number>>();

function charactersOf(font: PDFFont): ReadonlySet<number> {
  let set = encodable.get(font.name);
  if (!set) {
    set = new Set(font.getCharacterSet());
    encodable.set(font.name, set);
  }
  return set;
}

/** `text` as `font` can draw it: NFC, control characters as spaces, the rest replaced visibly. */
export function drawable(font: PDFFont, text: string): string {
  const characters = charactersOf(font);
  // eslint-disable-next-line no-control-regex -- control characters (tabs, newlines) become spaces
  const flat = text.normalize('NFC').replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ');
  let out = '';
  for (const { segment } of graphemes.segment(flat)) {
    let ok = true;
    for (const char of segment) ok &&= characters.has(char.codePointAt(0)!);
    out += ok ? segment : REPLACEMENT;
  }
  return out;
}

/** `text` cut to fit `width` at `size`, ending in an ellipsis when cut. Expects drawable text. */
export function fitted(font: PDFFont, text: string, size: number, width: number): string {
  if (font.widthOfTextAtSize(text, size) <= width) return text;
  let end = text.length;
  while (end > 0 && font.widthOfTextAtSize(`${text.slice(0, end).trimEnd()}${ELLIPSIS}`, size) > width) end--;
  return `${text.slice(0, end).trimEnd()}${ELLIPSIS}`;
}

/** `text` made drawable and wrapped to `width`: at most `maxLines` lines, the last one cut to fit. */
export function wrapped(font: PDFFont, text: string, size: number, width: number, maxLines: number): string[] {
  const safe = drawable(font, text);
  if (safe.trim() === '') return [];
  // Lines past the last run on into it, to be cut with an ellipsis. pdf-lib keeps each line's
  // trailing separator, so they join back as written ("Hohenzollern-Sigmaringen", no added space).
  const raw = breakTextIntoLines(safe, [' ', '-', '/'], width, (t) => font.widthOfTextAtSize(t, size)).filter((line) => line.trim() !== '');
  const kept = [...raw.slice(0, maxLines - 1), raw.slice(maxLines - 1).join('')].filter((line) => line.trim() !== '').map((line) => line.trim());
  return kept.map((line) => fitted(font, line, size, width));
}
