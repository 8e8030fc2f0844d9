// Carrier tracking numbers as the packer scans them off a shipping label: which carrier a number
// belongs to, read from its pattern and check digit, and the hand-picked carrier for the rest.
//
// Patterns and check-digit algorithms follow jkeen/tracking_number_data (couriers/ups.json,
// fedex.json, usps.json, dhl.json and CHECKSUM_ALGORITHMS.md, v2.0.0); USPS IMpb after USPS
// Publication 199 as that data encodes it. Re-implemented here, not copied.
import { z } from 'zod';
import { gs1CheckDigit, isValidSscc } from './gtin';

export const CARRIERS = ['UPS', 'FedEx', 'USPS', 'DHL'] as const;
export const Carrier = z.enum(CARRIERS);
export type Carrier = z.infer<typeof Carrier>;

export const TRACKING_REASONS = [
  'EMPTY',
  'CONTROL_CHARACTER',
  'TOO_LONG',
  'BAD_CHARACTER',
  /** The number has a carrier's pattern, but not its check digit: a misread or a damaged label. */
  'BAD_CHECK_DIGIT',
  /** `1Z…` is UPS's alone, so a `1Z` of another length is a UPS number read short or long. */
  'WRONG_LENGTH',
  'SSCC_LABEL',
  'PRODUCT_BARCODE',
  /** GS1 data with a separator that is no USPS IMpb routing prefix. */
  'GS1_DATA',
  'UNKNOWN_PATTERN',
  'CARRIER_MISMATCH',
  'UNKNOWN_CARRIER',
] as const;
export type TrackingReason = (typeof TRACKING_REASONS)[number];

/** The parameters a reason's message is rendered with. */
export interface TrackingParams {
  carriers?: Carrier[];
  chosen?: string;
  length?: number;
  expected?: number;
  max?: number;
  char?: string;
}

export interface TrackingRecognised {
  ok: true;
  carrier: Carrier;
  /** Canonical: upper case, no spaces; for USPS IMpb without its `420` + ZIP routing prefix. */
  trackingNumber: string;
  /** Which of the carrier's forms it was read as, e.g. `FedEx Express 12`; `by hand` for the fallback. */
  form: string;
  /** The destination ZIP (5 or 9 digits) of a USPS IMpb barcode's `420` routing prefix. */
  postalCode?: string;
}

export interface TrackingRefused {
  ok: false;
  reason: TrackingReason;
  params: TrackingParams;
  /** The carrier whose pattern the number has (the first by precedence when several have it). */
  carrier?: Carrier;
  /** Whether `acceptTracking` may still take it with a carrier chosen by hand. */
  canChooseCarrier: boolean;
  /** English, from `trackingMessage`; a device renders `reason` and `params` in its language. */
  message: string;
}

export type TrackingResult = TrackingRecognised | TrackingRefused;

/** Longest canonical tracking text taken (USPS's 420 + ZIP+4 + 26-digit IMpb is 38). */
export const MAX_TRACKING_CHARS = 40;

/** Longest raw scan looked at; spaced-out printed numbers stay well under it. */
const MAX_SCAN_CHARS = 200;

const GS = '\x1d';
const AIM_PREFIX = /^\][A-Za-z][0-9A-Za-z]/;
/** EAN/UPC symbologies carry product codes, never tracking numbers. */
const EAN_UPC = /^\]E[0-4]$/;

// ---- Check digits ----

/** UPS: mod 10 over the 15 characters after `1Z`, letters as (ASCII − 63) mod 10, every second doubled. */
function upsCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    const value = code <= 57 ? code - 48 : (code - 63) % 10;
    sum += i % 2 === 1 ? value * 2 : value;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * FedEx Express: weights 1, 3, 7 repeating from the right (the data source's 3,1,7… from the left
 * of 11 digits, 1,7,3… of the 34-digit barcode's 13), the sum mod 11 then mod 10 (10 → 0).
 */
function fedexCheckDigit(body: string): number {
  const weights = [1, 3, 7];
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += (body.charCodeAt(body.length - 1 - i) - 48) * weights[i % 3]!;
  return (sum % 11) % 10;
}

/** DHL Express: the number before the check digit, mod 7. Ten digits stay exact in a double. */
function dhlCheckDigit(body: string): number {
  return Number(body) % 7;
}

const checks = (code: string, expected: number): boolean => code.at(-1) === String(expected);

// ---- Forms, in precedence order ----

interface TrackingForm {
  carrier: Carrier;
  name: string;
  /** The shape: length, prefix and fixed fields. */
  pattern: RegExp;
  valid(code: string): boolean;
  /** The tracking number the carrier's own tracking knows, when it is not the whole code. */
  tracking?(code: string): string;
  /** May follow a `420` + ZIP routing prefix. */
  routable?: boolean;
  /** USPS delivers it for a consolidator who may have sold the label (FedEx, DHL eCommerce). */
  handedOver?(code: string): boolean;
}

/**
 * Where two forms share a shape the first whose check digit holds wins, but only the 20-digit
 * forms share one and their three checks can never hold together; a 34-digit `420…` is tried
 * as a routed USPS IMpb before FedEx (see `readings`).
 */
const FORMS: TrackingForm[] = [
  { carrier: 'UPS', name: 'UPS 1Z', pattern: /^1Z[0-9A-Z]{16}$/, valid: (c) => checks(c, upsCheckDigit(c.slice(2, 17))) },
  {
    // Application identifier (2), service type (3), mailer id, serial, check: 22 or 26 digits, 30
    // only for online labels (94) with a nine-digit mailer id. Pub 199 allows 92 only with a
    // nine-digit mailer id (its first digit 9) and 93 only with a six-digit one (0–8).
    carrier: 'USPS',
    name: 'USPS IMpb',
    pattern: /^(?:92\d{3}9|93\d{3}[0-8]|9[45]\d{4})\d{16}(?:\d{4})?$|^94\d{3}9\d{24}$/,
    valid: (c) => checks(c, gs1CheckDigit(c.slice(0, -1))),
    routable: true,
    // 92 and 93 are commercial mailers: a consolidator may have sold the label (data source).
    handedOver: (c) => /^9[23]/.test(c),
  },
  { carrier: 'USPS', name: 'USPS legacy 91', pattern: /^91\d{20}$/, valid: (c) => checks(c, gs1CheckDigit(c.slice(0, -1))), routable: true },
  {
    // Printed without its `91`, which still counts in the check digit.
    carrier: 'USPS',
    name: 'USPS legacy 20',
    pattern: /^\d{20}$/,
    valid: (c) => checks(c, gs1CheckDigit(`91${c.slice(0, -1)}`)),
    routable: true,
  },
  { carrier: 'USPS', name: 'USPS 20', pattern: /^\d{20}$/, valid: (c) => checks(c, gs1CheckDigit(c.slice(0, -1))) },
  {
    // FedEx SmartPost (now Ground Economy) prints its IMpb without the `92`, which still counts;
    // 92 means a nine-digit mailer id, so its fourth digit is 9. The data source dropped this form
    // in 2.0 as a USPS number; kept here because such a label is bought from and collected by FedEx.
    carrier: 'FedEx',
    name: 'FedEx SmartPost 20',
    pattern: /^\d{3}9\d{16}$/,
    valid: (c) => checks(c, gs1CheckDigit(`92${c.slice(0, -1)}`)),
  },
  // 96 + SCNC (2) + service (3) + shipper (7) + package (7) + check; the check covers shipper and package only.
  { carrier: 'FedEx', name: 'FedEx Ground 96', pattern: /^96\d{20}$/, valid: (c) => checks(c, gs1CheckDigit(c.slice(7, 21))) },
  {
    // The 34-digit barcodes (Express: form code first; Ground: 96 and the Ground shipper number):
    // a 13-digit serial and its check digit close it, the tracking number is the last 12 digits.
    carrier: 'FedEx',
    name: 'FedEx 34',
    pattern: /^(?:[0-8]\d|96)\d{32}$/,
    valid: (c) => checks(c, fedexCheckDigit(c.slice(20, 33))),
    tracking: (c) => c.slice(-12),
  },
  { carrier: 'FedEx', name: 'FedEx Express 12', pattern: /^\d{12}$/, valid: (c) => checks(c, fedexCheckDigit(c.slice(0, 11))) },
  { carrier: 'FedEx', name: 'FedEx Ground 15', pattern: /^\d{15}$/, valid: (c) => checks(c, gs1CheckDigit(c.slice(0, 14))) },
  { carrier: 'DHL', name: 'DHL Express', pattern: /^\d{10,11}$/, valid: (c) => checks(c, dhlCheckDigit(c.slice(0, -1))) },
];

/** UPS alone uses `1Z`, and every UPS `1Z` number has 18 characters. */
const UPS_PREFIX = '1Z';
const UPS_LENGTH = 18;

// ---- Messages ----

const orList = (carriers: readonly string[]): string =>
  carriers.length <= 1 ? (carriers[0] ?? '') : `${carriers.slice(0, -1).join(', ')} or ${carriers.at(-1)}`;

/** The English text of a refusal; the catalogue of record for other languages. */
export function trackingMessage(reason: TrackingReason, params: TrackingParams): string {
  const carriers = orList(params.carriers ?? []);
  switch (reason) {
    case 'EMPTY':
      return "Nothing was scanned: scan the carrier's tracking barcode";
    case 'CONTROL_CHARACTER':
      return `The scan contains a control character (${params.char}): scan the label again`;
    case 'TOO_LONG':
      return `A tracking number has at most ${params.max} characters, this scan has ${params.length}: scan the tracking barcode`;
    case 'BAD_CHARACTER':
      return `A tracking number has only letters and digits, this scan has "${params.char}": scan the label again`;
    case 'BAD_CHECK_DIGIT':
      return `${carriers} tracking number with a wrong check digit: scan the label again`;
    case 'WRONG_LENGTH':
      return `${carriers} tracking numbers have ${params.expected} characters, this one has ${params.length}: scan the label again`;
    case 'SSCC_LABEL':
      return "This is a shipping container code (SSCC), not a tracking number: scan the carrier's label";
    case 'PRODUCT_BARCODE':
      return "This is a product barcode, not a tracking number: scan the carrier's label";
    case 'GS1_DATA':
      return "This barcode carries GS1 data, not a tracking number: scan the carrier's label";
    case 'UNKNOWN_PATTERN':
      return 'Dockhand does not recognise this tracking number: choose the carrier by hand';
    case 'CARRIER_MISMATCH':
      return `This is a ${carriers} tracking number, not ${params.chosen}: choose ${carriers}`;
    case 'UNKNOWN_CARRIER':
      return `Choose the carrier: ${orList(CARRIERS)}`;
  }
}

function refuse(reason: TrackingReason, params: TrackingParams = {}, canChooseCarrier = false): TrackingRefused {
  const refused: TrackingRefused = { ok: false, reason, params, canChooseCarrier, message: trackingMessage(reason, params) };
  if (params.carriers?.[0]) refused.carrier = params.carriers[0];
  return refused;
}

// ---- Reading a scan ----

/** One way to read the canonical text: the code a form is tried on, and what came before it. */
interface Reading {
  code: string;
  postalCode?: string;
  /** Only USPS forms that may follow a routing prefix apply. */
  routed: boolean;
  /** The shape is one carrier's alone: a bad check digit is a misread whatever carrier is chosen. */
  exclusive: boolean;
}

type Canonical = { ok: true; text: string } | { ok: false; refused: TrackingRefused };

function describeControl(char: string): string {
  return `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * The scan as canonical text: trimmed, AIM identifier and leading or trailing FNC1 (GS) gone,
 * spaces removed, ASCII letters upper-cased. A GS inside is kept: it separates IMpb routing.
 */
function canonical(scanned: string): Canonical {
  if (typeof scanned !== 'string') return { ok: false, refused: refuse('EMPTY') };
  // Checked before any work: a scanner pads with a few characters, never hundreds.
  if (scanned.length > MAX_SCAN_CHARS) return { ok: false, refused: refuse('TOO_LONG', { length: scanned.length, max: MAX_TRACKING_CHARS }) };
  let text = scanned.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  const aim = AIM_PREFIX.exec(text)?.[0];
  if (aim) {
    if (EAN_UPC.test(aim)) return { ok: false, refused: refuse('PRODUCT_BARCODE') };
    text = text.slice(aim.length);
  }
  let start = 0;
  let end = text.length;
  while (start < end && text[start] === GS) start++;
  while (end > start && text[end - 1] === GS) end--;
  text = text.slice(start, end).replaceAll(' ', '');
  if (text === '') return { ok: false, refused: refuse('EMPTY') };
  const control = [...text].find((char) => char !== GS && (char < ' ' || char === '\x7f'));
  if (control) return { ok: false, refused: refuse('CONTROL_CHARACTER', { char: describeControl(control) }) };
  text = text.replace(/[a-z]/g, (char) => char.toUpperCase());
  const length = text.replaceAll(GS, '').length;
  if (length > MAX_TRACKING_CHARS) return { ok: false, refused: refuse('TOO_LONG', { length, max: MAX_TRACKING_CHARS }) };
  const bad = [...text].find((char) => char !== GS && !/^[0-9A-Z]$/.test(char));
  if (bad) return { ok: false, refused: refuse('BAD_CHARACTER', { char: bad }) };
  return { ok: true, text };
}

/**
 * The readings to try, in precedence order. A GS makes `420` + ZIP + GS + tracking the only
 * reading. Without one, a `420…` is first read as routed (ZIP+4 before ZIP, as the data source
 * does) and only then whole, so a USPS IMpb wins over a FedEx 34 whose check also holds.
 */
function readings(text: string): Reading[] | TrackingRefused {
  if (text.includes(GS)) {
    const [routing = '', code = '', ...more] = text.split(GS);
    if (more.length > 0 || !/^420(?:\d{5}|\d{9})$/.test(routing) || code === '') return refuse('GS1_DATA');
    return [{ code, postalCode: routing.slice(3), routed: true, exclusive: true }];
  }
  const found: Reading[] = [];
  if (/^420\d+$/.test(text)) {
    for (const zip of [9, 5]) {
      const code = text.slice(3 + zip);
      if (FORMS.some((form) => form.routable && form.pattern.test(code))) {
        found.push({ code, postalCode: text.slice(3, 3 + zip), routed: true, exclusive: false });
      }
    }
  }
  found.push({ code: text, routed: false, exclusive: text.startsWith(UPS_PREFIX) });
  return found;
}

interface Read {
  result: TrackingResult;
  /** The canonical text, for a hand-picked carrier. */
  text?: string;
  handedOver?: boolean;
  exclusive?: boolean;
}

function read(scanned: string): Read {
  const canon = canonical(scanned);
  if (!canon.ok) return { result: canon.refused };
  const { text } = canon;
  const tries = readings(text);
  if (!Array.isArray(tries)) return { result: tries };
  // "00" + a valid SSCC is AI 00 of a logistic unit label; USPS assigns no service type 00.
  if (/^00\d{18}$/.test(text) && isValidSscc(text.slice(2))) return { result: refuse('SSCC_LABEL') };

  const failed: Carrier[] = [];
  let exclusive = false;
  for (const reading of tries) {
    for (const form of FORMS) {
      if (reading.routed && !form.routable) continue;
      if (!form.pattern.test(reading.code)) continue;
      if (form.valid(reading.code)) {
        const result: TrackingRecognised = {
          ok: true,
          carrier: form.carrier,
          trackingNumber: form.tracking ? form.tracking(reading.code) : reading.code,
          form: form.name,
        };
        if (reading.postalCode) result.postalCode = reading.postalCode;
        return { result, text, handedOver: form.handedOver?.(reading.code) === true };
      }
      if (!failed.includes(form.carrier)) failed.push(form.carrier);
      exclusive ||= reading.exclusive;
    }
  }
  if (failed.length > 0) return { result: refuse('BAD_CHECK_DIGIT', { carriers: failed }, !exclusive), text, exclusive };
  // A GS after 420 + ZIP made it GS1 routing data, and what follows is no tracking number.
  if (tries[0]?.routed && tries[0].exclusive) return { result: refuse('GS1_DATA') };
  if (text.startsWith(UPS_PREFIX)) {
    return { result: refuse('WRONG_LENGTH', { carriers: ['UPS'], expected: UPS_LENGTH, length: text.length }), text, exclusive: true };
  }
  return { result: refuse('UNKNOWN_PATTERN', {}, true), text };
}

// ---- Entry points ----

/**
 * The carrier and canonical tracking number of a scanned label barcode (a keyboard wedge's text,
 * AIM identifier and GS separators included), or why it is none. A number with a carrier's
 * pattern but a wrong check digit is refused naming that carrier, never taken as another's.
 * Never throws.
 */
export function recognizeTracking(scanned: string): TrackingResult {
  return read(scanned).result;
}

/**
 * A scan with the carrier the packer chose by hand, for a label Dockhand does not recognise.
 * A recognised number keeps its own carrier (a USPS IMpb may be named for FedEx or DHL, who hand
 * such parcels to USPS); a pattern one carrier alone uses with a wrong check digit stays refused,
 * and so does one that fails the chosen carrier's own check.
 */
export function acceptTracking(scanned: string, chosenCarrier: string): TrackingResult {
  const parsed = Carrier.safeParse(chosenCarrier);
  if (!parsed.success) return refuse('UNKNOWN_CARRIER', { chosen: String(chosenCarrier) });
  const chosen = parsed.data;
  const { result, text, handedOver, exclusive } = read(scanned);
  if (result.ok) {
    if (result.carrier === chosen) return result;
    if (handedOver && (chosen === 'FedEx' || chosen === 'DHL')) return { ...result, carrier: chosen };
    return refuse('CARRIER_MISMATCH', { carriers: [result.carrier], chosen });
  }
  const byHand = text !== undefined && (result.reason === 'UNKNOWN_PATTERN' || (result.reason === 'BAD_CHECK_DIGIT' && !exclusive && !result.params.carriers?.includes(chosen)));
  if (!byHand) return result;
  return { ok: true, carrier: chosen, trackingNumber: text, form: 'by hand' };
}
