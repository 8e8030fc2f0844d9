// The keyboard-wedge ScannerSource: binds the wedge decoder to the "Scan" input. The input's
// value is the scan being typed; Enter or Tab hands it to the listener and empties the field.
import { GROUP_SEPARATOR, createWedgeDecoder } from './wedge';
import type { WedgeOptions } from './wedge';
import type { ScanListener, ScannerSource } from './types';

export interface WedgeSource extends ScannerSource {
  readonly kind: 'wedge';
  /** The screen has shown the last scan's outcome: the field may be emptied for the next. */
  settled(): void;
}

/** Puts `text` at the caret, as typing would. */
function insertAtCaret(input: HTMLInputElement, text: string): void {
  const start = input.selectionStart ?? input.value.length;
  const end = input.selectionEnd ?? input.value.length;
  input.setRangeText(text, start, end, 'end');
}

/** `onDuplicate`: told of a scan dropped as a double read of the one before, so the screen can say so. */
export function createWedgeSource(input: HTMLInputElement, options: WedgeOptions = {}, onDuplicate?: (text: string) => void): WedgeSource {
  const decoder = createWedgeDecoder(options);
  let listener: ScanListener | null = null;
  /**
   * The field still shows the scan just handed over: it is emptied with its outcome (`settled`),
   * in the frame that shows the confirmation, so the Enter itself asks for no frame and the page
   * is free the moment the outcome arrives.
   */
  let shownScan = false;
  const clearShown = () => {
    shownScan = false;
    input.value = '';
  };

  function onKeyDown(event: KeyboardEvent): void {
    // An IME composition owns its keys until it commits.
    if (event.isComposing) return;
    // The next scan began before the last one's outcome was shown: its text goes first.
    if (shownScan) clearShown();
    const step = decoder.key(event, input.value);
    switch (step.type) {
      case 'insert':
        // Ctrl+] would otherwise type nothing (or "]"), and a control character may not be typed
        // at all: the separator is put into the field by hand.
        if (step.text === GROUP_SEPARATOR) {
          event.preventDefault();
          insertAtCaret(input, step.text);
        }
        return;
      case 'empty':
        // Tab on an empty field is a person moving on with the keyboard: let focus go.
        if (event.key === 'Tab') return;
        event.preventDefault();
        return;
      case 'scan':
      case 'duplicate':
        // Tab must not move focus off the field, Enter must not submit an enclosing form.
        event.preventDefault();
        if (step.type === 'duplicate') {
          input.value = '';
          onDuplicate?.(step.text);
          return;
        }
        shownScan = true;
        // `npm run bench` reads this mark (scan → confirmed starts at the terminator's keydown);
        // only the latest is kept, so a whole shift of scans does not pile up in the timeline.
        performance.clearMarks('dockhand:scan');
        performance.mark('dockhand:scan', { startTime: event.timeStamp });
        listener?.(step.scan);
        return;
      case 'pass':
        return;
    }
  }

  return {
    kind: 'wedge',
    start(next) {
      if (!listener) input.addEventListener('keydown', onKeyDown);
      listener = next;
    },
    settled() {
      if (shownScan) clearShown();
    },
    stop() {
      if (shownScan) clearShown();
      if (listener) input.removeEventListener('keydown', onKeyDown);
      listener = null;
      decoder.reset();
    },
  };
}
