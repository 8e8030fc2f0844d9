// The one layout of every scanning screen, top to bottom: the screen's heading, what to scan next
// (the prompt), the answer to the last scan, the Scan field, then the details (lines, cards,
// forms). After every answer the prompt, the answer and the Scan field are brought into view
// below the sticky header — on a 360×640 handheld, with the on-screen keyboard open too — so a
// worker with gloves never scrolls to learn what a scan did. A scan the wedge dropped as a double
// read says so ("counted once"), in the same place.
import { useId, useLayoutEffect, useRef, useState } from 'react';
import type { ReactNode, RefObject } from 'react';
import { ScanField, type ScanFieldProps } from '../scanner/scan-field';
import { FloorMessages, type FloorMessage } from './floor-messages';

export interface ScanLayoutProps {
  /** The screen's root, for the workflow's focus handling (use-workflow `rootRef`). */
  rootRef?: RefObject<HTMLElement | null>;
  /** Title, progress: scrolled away on a small screen when a scan needs the room. */
  heading?: ReactNode;
  /** What to scan next ("Scan bin A-01-03"); the Scan field is described by it. */
  prompt: string;
  /** The answer to the last scan or press; empty entries show nothing. */
  messages: readonly (FloorMessage | null | undefined)[];
  scan: Omit<ScanFieldProps, 'prompt' | 'promptId' | 'onDuplicate'> | null;
  className?: string;
  children?: ReactNode;
}

/** What a dropped double read says. */
const DOUBLE_READ = (text: string): FloorMessage => ({ tone: 'warning', text: `Same barcode twice (${text}): counted once. Scan again to add another.` });

export function ScanLayout({ rootRef, heading, prompt, messages, scan, className, children }: ScanLayoutProps) {
  const promptId = useId();
  const answerRef = useRef<HTMLDivElement>(null);
  // Shown under the answer until the next scan: the answer of the scan it doubled may come after it.
  const [doubleRead, setDoubleRead] = useState<FloorMessage | null>(null);
  const shown = [...messages, doubleRead];
  const key = shown.map((message) => (message ? `${message.tone}:${message.text}` : '')).join('\u0000');

  useLayoutEffect(() => {
    if (key.replaceAll('\u0000', '') !== '') keepInView(answerRef.current);
  }, [key]);

  return (
    <section className={['screen', 'floor-screen', 'scan-layout', className].filter(Boolean).join(' ')} ref={rootRef}>
      {heading}
      <div className="scan-answer" ref={answerRef}>
        <p id={promptId} className="scan-prompt">
          {prompt}
        </p>
        <FloorMessages messages={shown} />
        {scan && (
          <ScanField
            {...scan}
            onScan={(event) => {
              setDoubleRead(null);
              return scan.onScan(event);
            }}
            promptId={promptId}
            onDuplicate={(text) => setDoubleRead(DOUBLE_READ(text))}
          />
        )}
      </div>
      {children}
    </section>
  );
}

/**
 * Scrolls the page the least that puts `element` whole between the sticky header and the bottom of
 * the visual viewport (which the on-screen keyboard shortens); its top wins when it cannot fit.
 */
export function keepInView(element: HTMLElement | null): void {
  if (!element) return;
  const header = document.querySelector('.shell-top') ?? document.querySelector('.app-header');
  const top = header ? header.getBoundingClientRect().bottom : 0;
  const viewport = window.visualViewport;
  const bottom = viewport ? viewport.offsetTop + viewport.height : window.innerHeight;
  const box = element.getBoundingClientRect();
  const margin = 8;
  let by = 0;
  if (box.top < top + margin) by = box.top - top - margin;
  else if (box.bottom > bottom - margin) by = Math.min(box.bottom - bottom + margin, box.top - top - margin);
  if (by !== 0) window.scrollBy({ top: by, behavior: 'instant' });
}
