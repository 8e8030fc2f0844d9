// What a workflow tells the person scanning after each event: one line, in a tone the screen
// shows (and the scanner beeps) to match.
export interface WorkflowMessage {
  /** `warning`: it went through, but not as it should have (a receipt closed short). */
  tone: 'success' | 'error' | 'warning' | 'info';
  text: string;
}

/** Longest part of an unknown barcode repeated in a message; the rest is elided. */
const SHOWN_BARCODE_CHARS = 20;

/** A scanned value as a message may quote it: control characters blanked, long ones elided. */
export function abbreviate(text: string): string {
  // A GS1 group separator or other control character would print as nothing or a box.
  const printable = [...text]
    .map((char) => (char < ' ' || char === '\x7f' ? ' ' : char))
    .join('')
    .trim();
  return printable.length > SHOWN_BARCODE_CHARS ? `${printable.slice(0, SHOWN_BARCODE_CHARS)}…` : printable;
}

/** A workflow's answer to an event it refuses: the state with the error said, nothing to submit, the error tone. */
export function refuse<S extends { message: WorkflowMessage | null }>(
  state: S,
  text: string,
  changes: Partial<S> = {},
): { state: S; intent: null; feedback: 'error' } {
  return { state: { ...state, ...changes, message: { tone: 'error', text } }, intent: null, feedback: 'error' };
}
