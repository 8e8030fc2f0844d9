// The one contract every scanner source implements (keyboard wedge, camera, typed entry): it
// emits ScanEvents to one subscriber between start() and stop(). Screens handle scans the same
// way whichever source produced them.

export type ScanSourceKind = 'wedge' | 'manual' | 'camera';

export interface ScanEvent {
  /** Exactly what the source delivered, AIM symbology identifier included. */
  raw: string;
  /** The barcode's data: `raw` without the AIM identifier; GS1 separators kept as \x1d. */
  text: string;
  /** The AIM symbology identifier, e.g. `]C1` (GS1-128), `]E0` (EAN-13), `]d2` (GS1 DataMatrix); null if none was sent. */
  symbology: string | null;
  source: ScanSourceKind;
  /**
   * How the code reads to a person where that differs from `text` (camera reads: GS1 data in
   * brackets, a UPC-E as its 8 printed digits, separators shown). For display only.
   */
  shown?: string;
  /** Epoch ms when the scan ended. For display only: never for ordering. */
  at: number;
}

export type ScanListener = (event: ScanEvent) => void;

export interface ScannerSource {
  readonly kind: ScanSourceKind;
  /** Begins delivering scans to `listener`; a second start replaces the listener. */
  start(listener: ScanListener): void | Promise<void>;
  /** Stops delivering and releases what the source holds (listeners, camera). Safe to repeat. */
  stop(): void;
}

/** What the screen made of a scan: decides the tone, vibration and colour the user gets. */
export type ScanOutcome = 'success' | 'error';
