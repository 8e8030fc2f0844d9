// GS1 barcode data read on the device: bracketed element strings, FNC1/GS-separated strings as a
// scanner delivers them (AIM identifier optional), plain GTINs and GS1 Digital Link URLs. Every
// value is checked (lengths, character set, check digits, calendar dates); a bad barcode is an
// error saying what is wrong, and `parseGs1` never throws.
import { gs1CheckDigit, upcEToUpcA } from './gtin';
import { gs1Year } from './rules/dates';

/** One element string: its Application Identifier and the raw value after it. */
export interface Gs1Element {
  ai: string;
  value: string;
}

export interface Gs1Data {
  ok: true;
  elements: Gs1Element[];
  /** AI 01 as 14 digits (a plain GTIN-8/12/13 is padded). */
  gtin?: string;
  /** AI 02: the GTIN of the trade items a logistic unit contains. */
  containedGtin?: string;
  sscc?: string;
  lot?: string;
  /** AI 17 as `YYYY-MM-DD`; day 00 is the last day of the month. */
  expiry?: string;
  /** AI 15 as `YYYY-MM-DD`. */
  bestBefore?: string;
  /** AI 11 as `YYYY-MM-DD`. */
  productionDate?: string;
  /** AI 13 as `YYYY-MM-DD`. */
  packagingDate?: string;
  serial?: string;
  /** AI 37 (count of trade items), else AI 30 (variable count). */
  count?: number;
  netWeightKg?: number;
  lengthM?: number;
  widthM?: number;
  depthM?: number;
  areaM2?: number;
  netVolumeL?: number;
  /** The AIM symbology identifier the scan began with, e.g. `]d2`; null if none. */
  symbology?: string | null;
}

export type Gs1Result = Gs1Data | { ok: false; error: string };

export interface Gs1Options {
  /** Anchors the century of two-digit years (GS1 sliding window); defaults to this year. */
  currentYear?: number;
}

/** Longest input read; anything longer is no barcode a scanner delivers. */
const MAX_INPUT_CHARS = 4096;

/** Longest piece of the input repeated in an error message. */
const SHOWN_CHARS = 24;

const GS = '\x1d';

type Kind =
  | { type: 'digits' }
  | { type: 'check' } // all digits, the last a GS1 check digit (GTIN, SSCC, GLN)
  | { type: 'itip' } // GTIN-14 with check digit, then piece and total
  | { type: 'text' } // GS1 AI encodable character set 82
  | { type: 'date' }
  | { type: 'decimal' };

interface AiSpec {
  title: string;
  /** Exact length, or the maximum when `variable`. */
  length: number;
  variable: boolean;
  kind: Kind;
}

const fixed = (title: string, length: number, kind: Kind): AiSpec => ({ title, length, variable: false, kind });
const upTo = (title: string, length: number, kind: Kind): AiSpec => ({ title, length, variable: true, kind });

const DIGITS: Kind = { type: 'digits' };
const CHECK: Kind = { type: 'check' };
const TEXT: Kind = { type: 'text' };
const DATE: Kind = { type: 'date' };
const DECIMAL: Kind = { type: 'decimal' };

/** The AIs read and checked here (GS1 General Specifications, section 3). */
const AIS: Record<string, AiSpec> = {
  '00': fixed('SSCC', 18, CHECK),
  '01': fixed('GTIN', 14, CHECK),
  '02': fixed('Contained GTIN', 14, CHECK),
  '10': upTo('Lot', 20, TEXT),
  '11': fixed('Production date', 6, DATE),
  '12': fixed('Due date', 6, DATE),
  '13': fixed('Packaging date', 6, DATE),
  '15': fixed('Best before date', 6, DATE),
  '16': fixed('Sell by date', 6, DATE),
  '17': fixed('Expiry', 6, DATE),
  '20': fixed('Variant', 2, DIGITS),
  '21': upTo('Serial', 20, TEXT),
  '22': upTo('Consumer product variant', 20, TEXT),
  '30': upTo('Count', 8, DIGITS),
  '37': upTo('Count of trade items', 8, DIGITS),
  '240': upTo('Additional product id', 30, TEXT),
  '241': upTo('Customer part number', 30, TEXT),
  '400': upTo("Customer's order number", 30, TEXT),
  '410': fixed('Ship-to GLN', 13, CHECK),
  '413': fixed('Ship-for GLN', 13, CHECK),
  '414': fixed('Location GLN', 13, CHECK),
  '8006': fixed('ITIP', 18, { type: 'itip' }),
};

/** 310n–315n: six digits with n decimals; the measure each reports and its output field. */
const MEASURES = {
  '310': { title: 'Net weight', field: 'netWeightKg' },
  '311': { title: 'Length', field: 'lengthM' },
  '312': { title: 'Width', field: 'widthM' },
  '313': { title: 'Depth', field: 'depthM' },
  '314': { title: 'Area', field: 'areaM2' },
  '315': { title: 'Net volume', field: 'netVolumeL' },
} as const;
for (const [prefix, { title }] of Object.entries(MEASURES)) {
  for (let n = 0; n <= 5; n++) AIS[`${prefix}${n}`] = fixed(title, 6, DECIMAL);
}

/**
 * Total length (AI included) of the element strings whose two-digit prefix predefines it (GS1
 * General Specifications figure 7.8.5-1): these need no separator after them, and an AI of theirs
 * not read above is skipped by this length.
 */
const PREDEFINED_LENGTH: Record<string, number> = {
  '00': 20, '01': 16, '02': 16, '03': 16, '04': 18, '11': 8, '12': 8, '13': 8, '14': 8, '15': 8, '16': 8,
  '17': 8, '18': 8, '19': 8, '20': 4, '31': 10, '32': 10, '33': 10, '34': 10, '35': 10, '36': 10, '41': 16,
};

/** Digits in an AI by its first two digits, so an unknown AI can be named; otherwise two. */
function aiLength(prefix: string): number {
  const n = Number(prefix);
  if ((n >= 23 && n <= 25) || (n >= 40 && n <= 42) || n === 71) return 3;
  if ((n >= 31 && n <= 36) || n === 39 || n === 43 || n === 70 || n === 72 || (n >= 80 && n <= 82)) return 4;
  return 2;
}

/** One character of the GS1 AI encodable character set 82. */
const CSET82_CHAR = /[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]/;

/** AIM symbology identifiers whose data is a GS1 element string. */
const GS1_SYMBOLOGIES = new Set([']C1', ']d2', ']Q3', ']e0', ']J1']);
/** AIM identifiers of EAN/UPC: their data is a plain GTIN. */
const EAN_UPC = /^\]E[0-4]$/;
const AIM_PREFIX = /^\][A-Za-z][0-9A-Za-z]/;

// ---- Small helpers ----

function shown(text: string): string {
  const chars = [...text].map((char) => (char < ' ' || char === '\x7f' ? '·' : char));
  return chars.length > SHOWN_CHARS ? `${chars.slice(0, SHOWN_CHARS).join('')}…` : chars.join('');
}

function describeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `"${char}"`;
}

function firstBadChar(value: string): string {
  for (const char of value) if (!CSET82_CHAR.test(char)) return char;
  return '';
}

function label(ai: string, spec: AiSpec): string {
  return `${spec.title} (${ai})`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function iso(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `YYMMDD` as `YYYY-MM-DD`, day 00 the last of the month; or why it is not a date. */
function gs1Date(value: string, currentYear: number): { date: string } | { why: string } {
  const year = gs1Year(Number(value.slice(0, 2)), currentYear);
  const month = Number(value.slice(2, 4));
  const day = Number(value.slice(4, 6));
  if (month < 1 || month > 12) return { why: `there is no month ${value.slice(2, 4)}` };
  const last = daysInMonth(year, month);
  if (day > last) return { why: `${iso(year, month, 1).slice(0, 7)} has ${last} days` };
  return { date: iso(year, month, day === 0 ? last : day) };
}

/** Why `value` is not a valid value of `ai`, or null. */
function checkValue(ai: string, spec: AiSpec, value: string, currentYear: number): string | null {
  const name = label(ai, spec);
  if (value === '') return `${name} is empty`;
  const length = [...value].length;
  if (spec.variable && length > spec.length) {
    return `${name} is too long: ${length} characters, at most ${spec.length} (is a group separator missing?)`;
  }
  if (!spec.variable && length !== spec.length) {
    return `${name} must be ${spec.length} digits, not ${length}`;
  }
  if (spec.kind.type === 'text') {
    const bad = firstBadChar(value);
    return bad ? `${name} contains ${describeChar(bad)}, which GS1 does not allow` : null;
  }
  if (!/^\d+$/.test(value)) {
    const bad = [...value].find((char) => char < '0' || char > '9') ?? '';
    const hint = spec.variable ? ' (is a group separator missing?)' : '';
    return `${name} must be digits, but has ${describeChar(bad)}${hint}`;
  }
  switch (spec.kind.type) {
    case 'check':
    case 'itip': {
      const code = spec.kind.type === 'itip' ? value.slice(0, 14) : value;
      const expected = gs1CheckDigit(code.slice(0, -1));
      if (Number(code.at(-1)) !== expected) return `${spec.kind.type === 'itip' ? 'ITIP GTIN' : spec.title} check digit is wrong (expected ${expected})`;
      return null;
    }
    case 'date': {
      const date = gs1Date(value, currentYear);
      return 'why' in date ? `${spec.title} ${value} is not a date: ${date.why}` : null;
    }
    default:
      return null;
  }
}

function decimal(ai: string, value: string): number {
  const decimals = Number(ai.at(-1));
  const whole = value.slice(0, value.length - decimals) || '0';
  return Number(decimals ? `${whole}.${value.slice(value.length - decimals)}` : whole);
}

/** The elements, checked against each other, as the parser's answer. */
function summarise(elements: Gs1Element[], symbology: string | null, currentYear: number): Gs1Result {
  const seen = new Map<string, string>();
  for (const { ai, value } of elements) {
    const before = seen.get(ai);
    if (before !== undefined && before !== value) return { ok: false, error: `AI ${ai} appears twice with different values` };
    seen.set(ai, value);
  }
  if (seen.has('01') && seen.has('02')) return { ok: false, error: 'A barcode cannot carry both a GTIN (01) and a contained GTIN (02)' };

  const data: Gs1Data = { ok: true, elements, symbology };
  const date = (ai: string): string | undefined => {
    const value = seen.get(ai);
    if (value === undefined) return undefined;
    const parsed = gs1Date(value, currentYear);
    return 'date' in parsed ? parsed.date : undefined;
  };
  const set = <K extends keyof Gs1Data>(key: K, value: Gs1Data[K] | undefined) => {
    if (value !== undefined) data[key] = value;
  };
  set('gtin', seen.get('01'));
  set('containedGtin', seen.get('02'));
  set('sscc', seen.get('00'));
  set('lot', seen.get('10'));
  set('serial', seen.get('21'));
  set('expiry', date('17'));
  set('bestBefore', date('15'));
  set('productionDate', date('11'));
  set('packagingDate', date('13'));
  const count = seen.get('37') ?? seen.get('30');
  set('count', count === undefined ? undefined : Number(count));
  for (const { ai, value } of elements) {
    const measure = MEASURES[ai.slice(0, 3) as keyof typeof MEASURES];
    if (measure && AIS[ai]) set(measure.field, decimal(ai, value));
  }
  return data;
}

// ---- The three forms ----

/** An element string as GS1 symbols carry it: AIs back to back, variable fields ended by GS. */
function parseElementString(text: string, symbology: string | null, currentYear: number): Gs1Result {
  const elements: Gs1Element[] = [];
  let at = text.startsWith(GS) ? 1 : 0; // FNC1 in first position
  while (at < text.length) {
    if (text[at] === GS) {
      at++; // a separator after a fixed-length field, or doubled: harmless
      continue;
    }
    const prefix = text.slice(at, at + 2);
    if (!/^\d\d$/.test(prefix)) {
      return { ok: false, error: elements.length === 0
        ? `Not a GS1 element string: "${shown(text.slice(at))}" does not start with an AI`
        : `Expected an AI at "${shown(text.slice(at))}"` };
    }
    const ai = [2, 3, 4].map((n) => text.slice(at, at + n)).find((candidate) => AIS[candidate]);
    if (ai === undefined) {
      const aiDigits = text.slice(at, at + aiLength(prefix));
      const measure = MEASURES[aiDigits.slice(0, 3) as keyof typeof MEASURES];
      if (measure) return { ok: false, error: `${measure.title} (${aiDigits}) has ${aiDigits[3]} decimals: GS1 allows 0 to 5` };
      const total = PREDEFINED_LENGTH[prefix];
      if (total === undefined) return { ok: false, error: `Unknown AI (${aiDigits}): this barcode carries data Dockhand cannot read` };
      const value = text.slice(at + aiDigits.length, at + total);
      if (!/^\d+$/.test(aiDigits) || value.length !== total - aiDigits.length || !/^\d+$/.test(value)) {
        return { ok: false, error: `AI (${aiDigits}) must be followed by ${total - aiDigits.length} digits` };
      }
      elements.push({ ai: aiDigits, value });
      at += total;
      continue;
    }
    const spec = AIS[ai]!;
    const start = at + ai.length;
    let value: string;
    if (spec.variable) {
      const end = text.indexOf(GS, start);
      value = end === -1 ? text.slice(start) : text.slice(start, end);
      at = end === -1 ? text.length : end + 1;
    } else {
      value = text.slice(start, start + spec.length);
      if (value.length < spec.length) {
        return { ok: false, error: `${label(ai, spec)} is cut short: ${value.length} of ${spec.length} digits` };
      }
      at = start + spec.length;
    }
    const error = checkValue(ai, spec, value, currentYear);
    if (error) return { ok: false, error };
    elements.push({ ai, value });
  }
  if (elements.length === 0) return { ok: false, error: 'The GS1 barcode carries no data' };
  return summarise(elements, symbology, currentYear);
}

/** `(01)09506000134352(10)ABC`: a "(" in data may be escaped as "\(". */
function parseBracketed(text: string, symbology: string | null, currentYear: number): Gs1Result {
  const elements: Gs1Element[] = [];
  let at = 0;
  while (at < text.length) {
    const head = /^\((\d{2,4})\)/.exec(text.slice(at, at + 6));
    if (!head) return { ok: false, error: `Expected "(AI)" at "${shown(text.slice(at))}"` };
    const ai = head[1]!;
    at += head[0].length;
    let value = '';
    while (at < text.length) {
      if (text.startsWith('\\(', at)) {
        value += '(';
        at += 2;
      } else if (text[at] === '(' && /^\(\d{2,4}\)/.test(text.slice(at, at + 6))) {
        break;
      } else {
        value += text[at];
        at++;
      }
    }
    value = value.replace(/^ +| +$/g, ''); // printed text puts spaces between elements
    const spec = AIS[ai];
    const measure = MEASURES[ai.slice(0, 3) as keyof typeof MEASURES];
    if (!spec && measure && ai.length === 4) {
      return { ok: false, error: `${measure.title} (${ai}) has ${ai[3]} decimals: GS1 allows 0 to 5` };
    }
    if (!spec) {
      const total = PREDEFINED_LENGTH[ai.slice(0, 2)];
      if (total === undefined || ai.length !== aiLength(ai.slice(0, 2))) {
        return { ok: false, error: `Unknown AI (${ai}): this barcode carries data Dockhand cannot read` };
      }
      if (!/^\d+$/.test(value) || value.length !== total - ai.length) {
        return { ok: false, error: `AI (${ai}) must be followed by ${total - ai.length} digits` };
      }
    } else {
      const error = checkValue(ai, spec, value, currentYear);
      if (error) return { ok: false, error };
    }
    elements.push({ ai, value });
  }
  return summarise(elements, symbology, currentYear);
}

/** Digital Link primary keys read here, and the key qualifiers each may carry in the path. */
const LINK_KEYS: Record<string, readonly string[]> = { '01': ['22', '10', '21'], '8006': ['22', '10', '21'], '00': [] };

/** Digital Link 1.1 short names, still printed on some labels. */
const SHORT_NAMES: Record<string, string> = { gtin: '01', itip: '8006', sscc: '00', cpv: '22', lot: '10', ser: '21', exp: '17', bbd: '15' };

function linkAi(segment: string): string {
  return SHORT_NAMES[segment.toLowerCase()] ?? segment;
}

function percentDecode(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** `https://host/[prefix/]01/{gtin}[/22/…][/10/…][/21/…][?17=…&…]`; the host is not checked. */
function parseDigitalLink(text: string, symbology: string | null, currentYear: number): Gs1Result {
  const url = /^https?:\/\/[^/?#]+(\/[^?#]*)?(?:\?([^#]*))?(?:#.*)?$/i.exec(text);
  if (!url) return { ok: false, error: 'The Digital Link URL is malformed' };
  const segments = (url[1] ?? '').split('/').filter((segment) => segment !== '');
  // The AIs are the path's last pairs; anything before them is the resolver's own prefix.
  const start = segments.findIndex((segment, i) => LINK_KEYS[linkAi(segment)] !== undefined && (segments.length - i) % 2 === 0);
  if (start === -1) return { ok: false, error: 'The Digital Link URL has no GTIN (01), SSCC (00) or ITIP (8006) in its path' };

  const elements: Gs1Element[] = [];
  const key = linkAi(segments[start]!);
  const qualifiers = LINK_KEYS[key]!;
  for (let i = start; i < segments.length; i += 2) {
    const ai = linkAi(segments[i]!);
    if (i > start && !qualifiers.includes(ai)) {
      return { ok: false, error: `AI ${ai} cannot follow ${key} in a Digital Link path` };
    }
    const value = percentDecode(segments[i + 1]!);
    if (value === null) return { ok: false, error: `The Digital Link value of AI ${ai} has a broken %-escape` };
    // The path may hold a GTIN-8, -12 or -13; its element string is always 14 digits.
    const padded = ai === '01' && [8, 12, 13].includes(value.length) && /^\d+$/.test(value) ? value.padStart(14, '0') : value;
    elements.push({ ai, value: padded });
  }
  for (const pair of (url[2] ?? '').split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const name = percentDecode(eq === -1 ? pair : pair.slice(0, eq));
    if (name === null) return { ok: false, error: 'The Digital Link query has a broken %-escape' };
    const ai = linkAi(name);
    if (!/^\d{2,4}$/.test(ai)) continue; // not an AI: linkType and other resolver parameters
    const value = percentDecode(eq === -1 ? '' : pair.slice(eq + 1));
    if (value === null) return { ok: false, error: `The Digital Link value of AI ${ai} has a broken %-escape` };
    elements.push({ ai, value });
  }
  for (const { ai, value } of elements) {
    const spec = AIS[ai];
    if (!spec) return { ok: false, error: `Unknown AI (${ai}) in the Digital Link: Dockhand cannot read it` };
    const error = checkValue(ai, spec, value, currentYear);
    if (error) return { ok: false, error };
  }
  return summarise(elements, symbology, currentYear);
}

/** A GTIN-8/12/13/14 on its own, as EAN/UPC and ITF-14 carry it. */
function parsePlainGtin(digits: string, symbology: string | null, currentYear: number): Gs1Result {
  let gtin = digits;
  const upcA = digits.length === 8 && symbology !== ']E4' ? upcEToUpcA(digits) : null;
  if (upcA && Number(digits.at(-1)) !== gs1CheckDigit(digits.slice(0, -1)) && Number(upcA.at(-1)) === gs1CheckDigit(upcA.slice(0, -1))) {
    gtin = upcA; // a UPC-E: its check digit is that of its UPC-A expansion
  }
  const expected = gs1CheckDigit(gtin.slice(0, -1));
  if (Number(gtin.at(-1)) !== expected) return { ok: false, error: `GTIN check digit is wrong (expected ${expected})` };
  return summarise([{ ai: '01', value: gtin.padStart(14, '0') }], symbology, currentYear);
}

// ---- Entry points ----

const LINK = /^https?:\/\//i;

/**
 * Reads a scan as GS1 data. Accepts the bracketed form, an element string (AIM identifier and
 * leading FNC1 optional, GS after variable-length fields), a plain GTIN or a Digital Link URL.
 */
export function parseGs1(text: string, options: Gs1Options = {}): Gs1Result {
  try {
    if (typeof text !== 'string') return { ok: false, error: 'The barcode is not text' };
    // Checked before trimming: scanners pad with a few characters, never thousands.
    if (text.length > MAX_INPUT_CHARS) return { ok: false, error: `The barcode is too long (${text.length} characters) to be GS1` };
    const currentYear = options.currentYear ?? new Date().getFullYear();
    const trimmed = text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''); // never a GS: it is data
    if (trimmed === '') return { ok: false, error: 'The barcode is empty' };

    const aim = AIM_PREFIX.exec(trimmed);
    const symbology = aim ? aim[0] : null;
    const body = aim ? trimmed.slice(aim[0].length) : trimmed;
    if (body === '') return { ok: false, error: 'The barcode carries no data after its symbology identifier' };

    if (LINK.test(body)) return parseDigitalLink(body, symbology, currentYear);
    if (body.startsWith('(')) return parseBracketed(body, symbology, currentYear);
    const plain = /^\d+$/.test(body) && [8, 12, 13, 14].includes(body.length);
    if (symbology && EAN_UPC.test(symbology)) {
      return plain ? parsePlainGtin(body, symbology, currentYear) : { ok: false, error: `An EAN/UPC barcode must carry 8, 12 or 13 digits, not "${shown(body)}"` };
    }
    if (plain && !isGs1Symbology(symbology)) return parsePlainGtin(body, symbology, currentYear);
    return parseElementString(body, symbology, currentYear);
  } catch (error) {
    // Unreachable by design; a scan must never crash the screen reading it.
    return { ok: false, error: `Could not read this GS1 barcode (${error instanceof Error ? error.message : 'unexpected error'})` };
  }
}

/**
 * Whether an AIM symbology identifier says its data is a GS1 element string (GS1-128, GS1
 * DataMatrix, GS1 QR, GS1 DataBar, GS1 DotCode).
 */
export function isGs1Symbology(symbology: string | null): boolean {
  return symbology !== null && GS1_SYMBOLOGIES.has(symbology);
}

/** GS1 data as a label prints it under the symbol: `(01)09501101530003(17)261231(10)ABC`. */
export function bracketedElements(data: Gs1Data): string {
  return data.elements.map(({ ai, value }) => `(${ai})${value}`).join('');
}

/** Digital Link paths naming a primary key the parser reads. */
const LINK_CANDIDATE = /^https?:\/\/[^/?#]+\/(?:[^?#]*\/)?(?:01|00|8006|gtin|sscc|itip)\/[^/?#]+/i;

/**
 * Whether a scan looks like GS1 data rather than a SKU or bin label: a GS1 or EAN/UPC AIM
 * identifier, a leading FNC1, the bracketed form, a Digital Link URL, or an element string that
 * opens with a whole SSCC (00) or GTIN (01, 02). A plain GTIN is not a candidate: it is a
 * barcode key as it stands.
 */
export function isGs1Candidate(text: string): boolean {
  if (typeof text !== 'string' || text.length > MAX_INPUT_CHARS) return false;
  const trimmed = text.replace(/^[ \t\r\n]+/, '');
  const aim = AIM_PREFIX.exec(trimmed)?.[0] ?? null;
  if (aim && (GS1_SYMBOLOGIES.has(aim) || EAN_UPC.test(aim))) return true;
  const body = aim ? trimmed.slice(aim.length) : trimmed;
  if (body.startsWith(GS)) return true;
  if (/^\(\d{2,4}\)/.test(body)) return true;
  if (LINK_CANDIDATE.test(body)) return true;
  return /^00\d{18}/.test(body) || /^0[12]\d{14}/.test(body);
}
