// Keyboard-wedge decoding, free of the DOM: turns the keystrokes a handheld's scanner types into
// scans. A scan is everything typed up to Enter or Tab, however many bursts it arrived in.
import type { ScanEvent, ScanSourceKind } from './types';

/** Scans of the same value closer together than this are one scan (a double trigger, not a recount). */
export const DUPLICATE_WINDOW_MS = 300;

/** Keys closer together than this are machine-typed: a scan whose keys mostly are came from the scanner. */
export const BURST_GAP_MS = 50;

/** ASCII group separator: GS1's FNC1 between variable-length element strings. */
export const GROUP_SEPARATOR = '\x1d';

/** An AIM symbology identifier: `]`, a code character, a modifier character. */
const AIM_PREFIX = /^\][A-Za-z][0-9A-Za-z]/;

/** Whitespace a scanner may pad with; \x1d is not whitespace and is never trimmed. */
const EDGE_SPACE = /^[ \t\r\n]+|[ \t\r\n]+$/g;

/** The part of a KeyboardEvent the decoder reads. */
export interface WedgeKey {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}

export type WedgeStep =
  /** Part of the scan being typed. `text` is what the field should receive (\x1d for Ctrl+]). */
  | { type: 'insert'; text: string }
  /** A terminator ended a new scan. */
  | { type: 'scan'; scan: ScanEvent }
  /** A terminator ended the same value as the previous scan, inside the duplicate window. */
  | { type: 'duplicate'; text: string }
  /** A terminator with nothing typed (scanners configured to send CR+LF, a stray Enter). */
  | { type: 'empty' }
  /** Not part of a scan (Backspace, arrows, Shift, Ctrl+V): the browser handles it. */
  | { type: 'pass' };

export interface WedgeDecoder {
  /**
   * Feeds one keydown. When the keys are typed into a field, pass the field's value as
   * `fieldText`: at a terminator it is the scan (it also holds pasted or soft-keyboard text).
   */
  key(key: WedgeKey, fieldText?: string): WedgeStep;
  /** Forgets the partial scan and the duplicate memory. */
  reset(): void;
}

export interface WedgeOptions {
  now?: () => number;
  duplicateWindowMs?: number;
  burstGapMs?: number;
}

/** Splits an AIM symbology identifier off the front of a scan. */
export function parseAimPrefix(raw: string): { symbology: string | null; text: string } {
  const match = AIM_PREFIX.exec(raw);
  return match ? { symbology: match[0], text: raw.slice(match[0].length) } : { symbology: null, text: raw };
}

export function isTerminator(key: WedgeKey): boolean {
  return (key.key === 'Enter' || key.key === 'Tab') && !key.ctrlKey && !key.altKey && !key.metaKey;
}

/** Zebra DataWedge sends GS as Ctrl+]; some scanners type the character itself. */
export function isGroupSeparator(key: WedgeKey): boolean {
  return (key.key === ']' && key.ctrlKey === true && !key.altKey && !key.metaKey) || key.key === GROUP_SEPARATOR;
}

function isPrintable(key: WedgeKey): boolean {
  return [...key.key].length === 1 && !key.ctrlKey && !key.altKey && !key.metaKey;
}

export function createWedgeDecoder(options: WedgeOptions = {}): WedgeDecoder {
  const now = options.now ?? Date.now;
  const duplicateWindowMs = options.duplicateWindowMs ?? DUPLICATE_WINDOW_MS;
  const burstGapMs = options.burstGapMs ?? BURST_GAP_MS;

  let buffer = '';
  /** Arrival times of the keys in `buffer`. */
  let keyTimes: number[] = [];
  let last: { text: string; at: number } | null = null;

  function sourceOf(typed: string, fieldText: string): ScanSourceKind {
    // Text that did not arrive as our keystrokes (pasted, soft keyboard) was entered by a person.
    if (typed !== fieldText) return 'manual';
    let fast = 0;
    for (let i = 1; i < keyTimes.length; i++) {
      if ((keyTimes[i] ?? 0) - (keyTimes[i - 1] ?? 0) <= burstGapMs) fast++;
    }
    // A pause between two bursts is one slow gap among many fast ones: still the scanner.
    return keyTimes.length >= 3 && fast * 2 >= keyTimes.length - 1 ? 'wedge' : 'manual';
  }

  function finish(fieldText: string | undefined): WedgeStep {
    const typed = buffer;
    const raw = (fieldText ?? typed).replace(EDGE_SPACE, '');
    const source = sourceOf(typed, fieldText ?? typed);
    buffer = '';
    keyTimes = [];

    const { symbology, text } = parseAimPrefix(raw);
    if (text === '') return { type: 'empty' };

    const at = now();
    if (last && last.text === text && at - last.at < duplicateWindowMs) return { type: 'duplicate', text };
    last = { text, at };
    return { type: 'scan', scan: { raw, text, symbology, source, at } };
  }

  return {
    key(key, fieldText) {
      if (isTerminator(key)) return finish(fieldText);
      if (isGroupSeparator(key)) {
        buffer += GROUP_SEPARATOR;
        keyTimes.push(now());
        return { type: 'insert', text: GROUP_SEPARATOR };
      }
      if (isPrintable(key)) {
        buffer += key.key;
        keyTimes.push(now());
        return { type: 'insert', text: key.key };
      }
      if (key.key === 'Backspace' && !key.ctrlKey) {
        // Keeps the keystroke copy in step with a person correcting a typo at the end.
        buffer = buffer.slice(0, -1);
        keyTimes.pop();
      }
      return { type: 'pass' };
    },
    reset() {
      buffer = '';
      keyTimes = [];
      last = null;
    },
  };
}
