// The admin console's label printing (issue 15): a range of bins, or a batch of new LPN numbers, on
// the label stock the site uses. A PDF opens in a new tab for the print dialog; ZPL (thermal rolls
// only) is saved as a file to send to a Zebra printer's port 9100.
import { useMemo, useState, type FormEvent } from 'react';
import { LABEL_STOCKS, LabelStock, MAX_LABELS, type LabelFormat } from '../../domain/label-sheets';
import { db as appDb } from '../../storage/db';
import { createLabelCommands, type LabelCommands, type LabelSheetResult } from './label-commands';

/** How long an opened sheet's object URL lives: long enough for the new tab to load it. */
const SHEET_URL_LIFETIME_MS = 60_000;

function StockField({ id, value, onChange }: { id: string; value: LabelStock; onChange: (stock: LabelStock) => void }) {
  return (
    <label className="field" htmlFor={id}>
      <span className="field-label">Label stock</span>
      <select id={id} value={value} onChange={(event) => onChange(LabelStock.parse(event.target.value))}>
        {LabelStock.options.map((stock) => (
          <option key={stock} value={stock}>
            {LABEL_STOCKS[stock].name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Opens a PDF in a tab opened while the press still counted as the user's, or saves a ZPL file. */
async function deliver(result: Promise<LabelSheetResult>, format: LabelFormat): Promise<string | null> {
  const tab = format === 'pdf' ? window.open('', '_blank') : null;
  const answer = await result;
  if (!answer.ok) {
    tab?.close();
    return answer.message;
  }
  const url = URL.createObjectURL(answer.file);
  if (format === 'pdf') {
    if (tab) tab.location.href = url;
    else window.open(url, '_blank');
  } else {
    const link = document.createElement('a');
    link.href = url;
    link.download = answer.name;
    link.click();
  }
  setTimeout(() => URL.revokeObjectURL(url), SHEET_URL_LIFETIME_MS);
  return null;
}

export function LabelSheets({ commands: given }: { commands?: LabelCommands } = {}) {
  const commands = useMemo(() => given ?? createLabelCommands(appDb), [given]);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [binStock, setBinStock] = useState<LabelStock>('a4-21');
  const [count, setCount] = useState(21);
  const [lpnStock, setLpnStock] = useState<LabelStock>('a4-21');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);

  async function make(format: LabelFormat, what: 'bins' | 'lpns') {
    setBusy(true);
    setMessage(null);
    try {
      const result = what === 'bins'
        ? commands.binLabels({ from: from.trim(), to: to.trim(), stock: binStock, format })
        : commands.lpnLabels({ count, stock: lpnStock, format });
      const problem = await deliver(result, format);
      setMessage(problem
        ? { ok: false, text: problem }
        : { ok: true, text: what === 'bins' ? `Bin labels from ${from.trim()} to ${to.trim()} are ready.` : `${count} new LPN labels are ready; their numbers are reserved.` });
    } finally {
      setBusy(false);
    }
  }

  const submit = (what: 'bins' | 'lpns') => (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    void make(submitter?.value === 'zpl' ? 'zpl' : 'pdf', what);
  };

  return (
    <section aria-labelledby="label-sheets-heading">
      <h2 id="label-sheets-heading">Labels</h2>
      <form aria-label="Bin labels" onSubmit={submit('bins')}>
        <h3>Bin labels</h3>
        <label className="field" htmlFor="bin-labels-from">
          <span className="field-label">From bin</span>
          <input id="bin-labels-from" value={from} required maxLength={100} placeholder="A-01-1" onChange={(event) => setFrom(event.target.value)} />
        </label>
        <label className="field" htmlFor="bin-labels-to">
          <span className="field-label">To bin</span>
          <input id="bin-labels-to" value={to} required maxLength={100} placeholder="A-05-2" onChange={(event) => setTo(event.target.value)} />
        </label>
        <StockField id="bin-labels-stock" value={binStock} onChange={setBinStock} />
        <div className="floor-actions">
          <button type="submit" className="button button-primary" value="pdf" disabled={busy}>
            Bin labels (PDF)
          </button>
          <button type="submit" className="button" value="zpl" disabled={busy || !LABEL_STOCKS[binStock].zpl}>
            Bin labels (ZPL)
          </button>
        </div>
      </form>
      <form aria-label="LPN labels" onSubmit={submit('lpns')}>
        <h3>LPN labels</h3>
        <label className="field" htmlFor="lpn-labels-count">
          <span className="field-label">How many</span>
          <input id="lpn-labels-count" type="number" min={1} max={MAX_LABELS} required value={count} onChange={(event) => setCount(Number(event.target.value))} />
        </label>
        <StockField id="lpn-labels-stock" value={lpnStock} onChange={setLpnStock} />
        <p className="floor-form-hint">Every press reserves new LPN numbers: print once and keep the sheet.</p>
        <div className="floor-actions">
          <button type="submit" className="button button-primary" value="pdf" disabled={busy}>
            LPN labels (PDF)
          </button>
          <button type="submit" className="button" value="zpl" disabled={busy || !LABEL_STOCKS[lpnStock].zpl}>
            LPN labels (ZPL)
          </button>
        </div>
      </form>
      {message && (
        <p className={message.ok ? 'admin-notice' : 'admin-notice admin-notice-bad'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </section>
  );
}

export default LabelSheets;
