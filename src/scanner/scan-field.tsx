// The "Scan" field every scanning screen shows. A handheld's wedge scanner types into it, a person
// can type a code and press Enter, and the Camera button opens the camera scanner; all reach
// onScan the same way, and the outcome onScan returns is played back as sound, vibration and colour.
import { Suspense, lazy, useEffect, useId, useRef, useState } from 'react';
import type { KeyboardEvent } from 'react';
import { scanFeedback } from './feedback';
import type { ScanEvent, ScanOutcome } from './types';
import { createWedgeSource } from './wedge-source';
import type { WedgeOptions } from './wedge';
import './scan-field.css';

/** The camera scanner and its decoder load on first use, never with the app. */
const CameraPanel = lazy(() => import('./camera/camera-panel'));

export interface ScanFieldProps {
  /** Handles a scan; returning an outcome plays its feedback. */
  onScan: (event: ScanEvent) => ScanOutcome | void | Promise<ScanOutcome | void>;
  /** A short line under the field saying what to scan next ("Scan bin A-01-03"). */
  prompt?: string;
  /** The id of a prompt shown elsewhere (ScanLayout shows it above the answer): describes the field. */
  promptId?: string;
  /** A scan the wedge dropped as a double read of the one before (`wedge.ts` duplicate window). */
  onDuplicate?: (text: string) => void;
  disabled?: boolean;
  /** Injectable clock and windows, for tests. */
  wedgeOptions?: WedgeOptions;
}

/** Elements that legitimately take the keyboard away from the scan field. */
function takesTextInput(element: Element | null): boolean {
  if (!element) return false;
  if (element instanceof HTMLTextAreaElement || element instanceof HTMLSelectElement) return true;
  if (element instanceof HTMLInputElement) return !['button', 'submit', 'reset', 'image'].includes(element.type);
  return element instanceof HTMLElement && element.isContentEditable;
}

export function ScanField({ onScan, prompt, promptId: describedBy, onDuplicate, disabled = false, wedgeOptions }: ScanFieldProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const containerRef = useRef<HTMLDivElement>(null);
  const onScanRef = useRef(onScan);
  /** Set when Tab on an empty field moves focus on: a keyboard user leaving is let go. */
  const leftByKeyboard = useRef(false);
  const promptId = useId();
  const [cameraOpen, setCameraOpen] = useState(false);
  /** Hands a scan from any source to the screen and plays back its outcome. */
  const handleScanRef = useRef<(event: ScanEvent) => void>(() => {});

  const onDuplicateRef = useRef(onDuplicate);
  useEffect(() => {
    onScanRef.current = onScan;
    onDuplicateRef.current = onDuplicate;
  });

  // The source is bound once per input element; onScan changes reach it through the ref.
  const { now, duplicateWindowMs, burstGapMs } = wedgeOptions ?? {};
  useEffect(() => {
    const input = inputRef.current;
    if (!input) return;
    const source = createWedgeSource(input, { now, duplicateWindowMs, burstGapMs }, (text) => onDuplicateRef.current?.(text));
    handleScanRef.current = (event) => {
      void Promise.resolve()
        .then(() => onScanRef.current(event))
        .catch((error: unknown) => {
          console.error('Scan handler failed', error);
          return 'error' as const;
        })
        .then((outcome) => {
          source.settled();
          if (outcome) scanFeedback(outcome, containerRef.current);
          // A screen that re-rendered during the scan may have dropped focus: the next scan needs it.
          // An open dialog (the camera scanner) keeps it.
          if (document.activeElement?.closest('[role="dialog"], dialog')) return;
          if (!takesTextInput(document.activeElement) || document.activeElement === input) input.focus();
        });
    };
    source.start((event) => handleScanRef.current(event));
    return () => source.stop();
  }, [now, duplicateWindowMs, burstGapMs]);

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    // The wedge source already took (and prevented) a Tab that ended a scan.
    leftByKeyboard.current = event.key === 'Tab' && !event.defaultPrevented;
  }

  function onBlur() {
    if (leftByKeyboard.current) {
      leftByKeyboard.current = false;
      return;
    }
    // Wait for focus to land, then take it back unless the user moved to another field on purpose:
    // a wedge scan typed into a button or the page is lost.
    setTimeout(() => {
      const input = inputRef.current;
      if (!input || input.disabled || !input.isConnected) return;
      const active = document.activeElement;
      if (active === input || takesTextInput(active)) return;
      if (active?.closest('[role="dialog"], dialog')) return;
      input.focus();
    }, 0);
  }

  return (
    <div className="scan-field" ref={containerRef}>
      <div className="scan-field-row">
        <label className="field">
          <span className="field-label">Scan</span>
          <input
            ref={inputRef}
            className="scan-input"
            name="scan"
            type="text"
            autoFocus
            autoComplete="off"
            autoCorrect="off"
            autoCapitalize="off"
            spellCheck={false}
            enterKeyHint="done"
            disabled={disabled}
            aria-describedby={describedBy ?? (prompt ? promptId : undefined)}
            onKeyDown={onKeyDown}
            onBlur={onBlur}
          />
        </label>
        <button type="button" className="button scan-camera-button" disabled={disabled} onClick={() => setCameraOpen(true)}>
          Camera
        </button>
      </div>
      {prompt && (
        <p id={promptId} className="scan-prompt">
          {prompt}
        </p>
      )}
      {cameraOpen && (
        <Suspense fallback={<p role="status">Loading the camera…</p>}>
          <CameraPanel
            onScan={(event) => handleScanRef.current(event)}
            onClose={() => {
              setCameraOpen(false);
              inputRef.current?.focus();
            }}
          />
        </Suspense>
      )}
    </div>
  );
}
