// Printing at the pack station: the label printer this station uses, a "Print label" button per
// carton and the order's packing slip. A label is queued on the device and prints through the
// server as soon as it and the printer can be reached (src/printing/print-queue), so packing
// offline still ends with a label; the packing slip is the server's PDF and needs the network.
import { useEffect, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import type { PrintJob } from '../../storage/db';
import { useSyncStatus } from '../../sync/status-store';
import { usePrintDeps } from './print-context';
import './print-controls.css';

/** How long an opened packing slip's object URL lives: long enough for the new tab to load it. */
const SLIP_URL_LIFETIME_MS = 60_000;

export interface PrintControlsProps {
  orderId: string;
  /** The order's number as printed ("#1041"), for the controls' names. */
  orderNumber: string;
  /** The order's cartons by id, in the order they were opened. */
  cartons: readonly string[];
}

/** What the packer reads under a carton's button: its latest job's state. */
function jobText(job: PrintJob, online: boolean): string {
  switch (job.status) {
    case 'printed':
      return `Printed on ${job.printer}`;
    case 'failed':
      return `Not printed: ${job.lastError ?? 'the server refused it.'}`;
    case 'queued':
      if (!online) return 'Queued: prints when online';
      if (job.lastError) return `Queued, trying again: ${job.lastError}`;
      return `Queued for ${job.printer}`;
  }
}

export function PrintControls({ orderId, orderNumber, cartons }: PrintControlsProps) {
  const { commands } = usePrintDeps();
  const online = useSyncStatus((s) => s.online);
  const known = useLiveQuery(() => commands.readPrinters(), [commands]);
  const jobs = useLiveQuery(() => commands.readJobs(orderId), [commands, orderId]);
  const [slipMessage, setSlipMessage] = useState<string | null>(null);
  const [opening, setOpening] = useState(false);

  // The list as the server has it now, when it can be reached; the kept list stands meanwhile.
  useEffect(() => {
    if (online) void commands.refreshPrinters();
  }, [commands, online]);

  const printers = known?.printers ?? [];
  const chosen = known?.chosen && printers.some((printer) => printer.code === known.chosen) ? known.chosen : null;
  const latest = new Map<string, PrintJob>();
  for (const job of jobs ?? []) latest.set(job.carton, job);
  const ids = `print-${orderId.replace(/[^A-Za-z0-9_-]/g, '')}`;

  async function openSlip() {
    setSlipMessage(null);
    setOpening(true);
    // The tab opens now, while the press still counts as the user's, or a popup blocker stops it.
    const tab = window.open('', '_blank');
    try {
      const slip = await commands.packingSlip(orderId);
      if (!slip.ok) {
        tab?.close();
        setSlipMessage(slip.message);
        return;
      }
      const url = URL.createObjectURL(slip.pdf);
      if (tab) tab.location.href = url;
      else window.open(url, '_blank');
      setTimeout(() => URL.revokeObjectURL(url), SLIP_URL_LIFETIME_MS);
    } finally {
      setOpening(false);
    }
  }

  return (
    <section className="print-controls" aria-label={`Printing for order ${orderNumber}`}>
      <label className="field">
        <span className="field-label">Label printer</span>
        <select
          className="print-select"
          name="printer"
          value={chosen ?? ''}
          onChange={(event) => void commands.choosePrinter(event.target.value)}
          aria-describedby={printers.length === 0 ? `${ids}-no-printers` : undefined}
        >
          <option value="" disabled>
            Choose a printer
          </option>
          {printers.map((printer) => (
            <option key={printer.code} value={printer.code}>
              {printer.code}: {printer.name}
            </option>
          ))}
        </select>
      </label>
      {known && printers.length === 0 && (
        <p id={`${ids}-no-printers`} className="floor-form-hint">
          {online ? 'No label printers are set up. Ask an admin to add one.' : 'No printers known yet: the list comes when the device is online.'}
        </p>
      )}

      <ul className="floor-list" aria-label="Carton labels">
        {cartons.map((carton, index) => {
          const job = latest.get(carton);
          return (
            <li key={carton} className="print-carton">
              <div className="floor-actions">
                <button
                  type="button"
                  className="button button-primary"
                  disabled={!chosen}
                  aria-describedby={`${ids}-carton-${index}`}
                  onClick={() => void commands.printLabel({ printer: chosen!, orderId, carton })}
                >
                  Print label (carton {carton})
                </button>
                {job?.status === 'queued' && (
                  <button type="button" className="button" onClick={() => void commands.cancelJob(job.id)}>
                    Cancel label (carton {carton})
                  </button>
                )}
              </div>
              <p id={`${ids}-carton-${index}`} className={`print-job print-job-${job?.status ?? 'none'}`} aria-live="polite">
                {job ? jobText(job, online) : chosen ? '' : 'Choose a printer first.'}
              </p>
            </li>
          );
        })}
      </ul>

      <div className="floor-actions">
        <button type="button" className="button" disabled={!online || opening} aria-describedby={`${ids}-slip`} onClick={() => void openSlip()}>
          Packing slip (PDF)
        </button>
      </div>
      <p id={`${ids}-slip`} className="print-job" aria-live="polite">
        {slipMessage ?? (online ? '' : 'Offline: the packing slip opens once the device is back online.')}
      </p>
    </section>
  );
}
