// The pick screen (/pick/:pickListId): one line at a time in the device's order, the bin and item
// big enough to read at arm's length, the Scan field always ready. The workflow's decisions are
// the domain's pick reducer; this screen renders its state and carries out its intents through
// the pick commands, one event at a time.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import type { PickLine, ShortReason } from '../../domain/entities';
import {
  SHORT_REASONS,
  binCode,
  currentLine,
  pickProgress,
  pickReducer,
  pickSummary,
  productText,
  remaining,
  scanPrompt,
  startPick,
} from '../../domain/workflows/pick';
import type { PickEvent, PickResult, PickState, PickView } from '../../domain/workflows/pick';
import { ScanField } from '../../scanner/scan-field';
import type { ScanEvent, ScanOutcome } from '../../scanner/types';
import { usePickDeps } from './pick-context';
import { ProgressBar } from '../../ui/progress-bar';
import { usePickView, withCommittedLines } from './queries';
import './pick.css';

type Feedback = ScanOutcome | null;

export default function PickScreen() {
  const { pickListId = '' } = useParams();
  const { db } = usePickDeps();
  const view = usePickView(db, pickListId);

  if (view === undefined) {
    return (
      <section className="screen">
        <p className="loading">Loading…</p>
      </section>
    );
  }
  if (view === null) {
    return (
      <section className="screen">
        <h1>Pick list not found</h1>
        <p className="lead">This device does not have that pick list: it may be finished, or not synced yet.</p>
        <Link className="button" to="/pick">
          Back to pick lists
        </Link>
      </section>
    );
  }
  return <PickWorkflow key={pickListId} view={view} />;
}

function PickWorkflow({ view }: { view: PickView }) {
  const { commands, wedgeOptions } = usePickDeps();
  const [state, setState] = useState<PickState>(() => startPick(view));
  const stateRef = useRef(state);
  /** Scans and button presses run one after another: each sees the state the previous one left. */
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const rootRef = useRef<HTMLElement>(null);
  /** Set while a committed scan's confirmation waits to be rendered (see the mark below). */
  const confirming = useRef(false);

  const dispatch = useCallback((event: PickEvent): PickResult => {
    const result = pickReducer(stateRef.current, event);
    stateRef.current = result.state;
    setState(result.state);
    return result;
  }, []);

  // The live view (sync pulls, other tabs, this screen's own commits) flows into the machine.
  useEffect(() => {
    if (view !== stateRef.current.view) dispatch({ type: 'view-updated', view });
  }, [view, dispatch]);

  const carryOut = useCallback(
    async (result: PickResult): Promise<Feedback> => {
      const intent = result.intent;
      if (!intent) return result.feedback;
      if ('saveOrder' in intent) {
        try {
          await commands.saveOrder(intent.saveOrder.pickListId, intent.saveOrder.lineIds);
        } catch (error) {
          // The order is this device's preference only; the screen already shows it.
          console.error('Could not save the pick order', error);
        }
        return result.feedback;
      }
      const outcome = await commands.submit(intent.submit);
      if (!outcome.ok) return dispatch({ type: 'rejected', message: outcome.message }).feedback;
      confirming.current = true;
      // The committed lines patch the screen's view (no re-read of the list); the live query
      // brings anything else that changed meanwhile.
      return dispatch({ type: 'submitted', view: withCommittedLines(stateRef.current.view, outcome.lines) }).feedback;
    },
    [commands, dispatch],
  );

  const enqueue = useCallback((task: () => Promise<Feedback>): Promise<Feedback> => {
    const run = queue.current.catch(() => undefined).then(task);
    queue.current = run;
    return run;
  }, []);

  const send = useCallback((event: PickEvent) => enqueue(() => carryOut(dispatch(event))), [enqueue, carryOut, dispatch]);

  const onScan = useCallback(
    (event: ScanEvent): Promise<ScanOutcome | undefined> =>
      enqueue(async () => {
        const line = currentLine(stateRef.current.view);
        const lookup = await commands.resolveScan(event.text, { preferProductId: line?.productId });
        return carryOut(dispatch({ type: 'scan', lookup }));
      }).then((feedback) => feedback ?? undefined),
    [enqueue, commands, carryOut, dispatch],
  );

  // `npm run bench` reads this mark: the confirmation of a committed scan has been painted (a
  // task queued from the frame that renders it runs after that frame's paint). Only the latest is kept.
  useEffect(() => {
    if (!confirming.current) return;
    confirming.current = false;
    requestAnimationFrame(() => setTimeout(() => {
      performance.clearMarks('dockhand:confirmed');
      performance.mark('dockhand:confirmed');
    }));
  }, [state]);

  // Back from a form to scanning: the Scan field takes the keyboard (and the wedge) again.
  const previousStep = useRef(state.step);
  useEffect(() => {
    const wasForm = previousStep.current === 'enter-quantity' || previousStep.current === 'short-reason';
    previousStep.current = state.step;
    if (wasForm && (state.step === 'scan-bin' || state.step === 'scan-item')) {
      rootRef.current?.querySelector<HTMLInputElement>('input[name="scan"]')?.focus();
    }
  }, [state.step]);

  const progress = pickProgress(state.view.lines);
  const progressText = `Line ${progress.position} of ${progress.lineCount} · ${progress.unitsDone}/${progress.unitsTotal} units`;
  const line = currentLine(state.view);
  const message = state.message;

  return (
    <section className="screen pick-screen" ref={rootRef}>
      <header className="pick-header">
        <h1 className="pick-title">Pick list {state.view.number}</h1>
        <p className="pick-header-progress">{progressText}</p>
        <ProgressBar value={progress.unitsDone} max={progress.unitsTotal} label="Pick list progress" text={progressText} />
      </header>

      <div className="pick-messages" aria-live="polite">
        {message &&
          (message.tone === 'error' ? (
            <p role="alert" className="pick-message pick-message-error">
              {message.text}
            </p>
          ) : (
            <p className={`pick-message pick-message-${message.tone}`}>{message.text}</p>
          ))}
      </div>

      {state.step === 'list-done' || !line ? (
        <Summary state={state} onUndo={() => void send({ type: 'undo' })} />
      ) : (
        <>
          <CurrentLine view={state.view} line={line} binConfirmed={state.step !== 'scan-bin' && state.confirmedBinId === line.locationId} />
          <ScanField onScan={onScan} prompt={scanPrompt(state)} wedgeOptions={wedgeOptions} />
          {state.step === 'enter-quantity' && (
            <QuantityForm
              max={remaining(line)}
              onSubmit={(qty) => void send({ type: 'quantity', qty })}
              onCancel={() => void send({ type: 'cancel' })}
            />
          )}
          {state.step === 'short-reason' && (
            <ShortForm
              title={`Short pick ${remaining(line)} × ${productText(state.view, line.productId)}: why?`}
              onReason={(reason) => void send({ type: 'short-reason', reason })}
              onCancel={() => void send({ type: 'cancel' })}
            />
          )}
          <div className="pick-actions">
            <button type="button" className="button" onClick={() => void send({ type: 'open-quantity' })}>
              Enter quantity
            </button>
            <button type="button" className="button" onClick={() => void send({ type: 'open-short' })}>
              Short pick
            </button>
            <button type="button" className="button" onClick={() => void send({ type: 'skip' })}>
              Skip
            </button>
            <button type="button" className="button" onClick={() => void send({ type: 'undo' })}>
              Undo last scan
            </button>
          </div>
        </>
      )}
    </section>
  );
}

function CurrentLine({ view, line, binConfirmed }: { view: PickView; line: PickLine; binConfirmed: boolean }) {
  const product = view.products[line.productId];
  return (
    <section className="pick-line" aria-label="Current line">
      <p className="pick-line-bin">
        <span className="pick-line-caption">Bin</span>{' '}
        <span className="pick-line-bin-code">{binCode(view, line.locationId)}</span>
        {binConfirmed && <span className="pick-line-confirmed"> ✓ confirmed</span>}
      </p>
      <p className="pick-line-product">{product?.name ?? line.productId}</p>
      <p className="pick-line-sku">
        SKU {product?.sku ?? line.productId}
        {line.lot && <> · Lot {line.lot}</>}
      </p>
      <p className="pick-line-qty">
        <span className="pick-line-qty-value">{remaining(line)}</span> to pick{' '}
        <span className="pick-line-qty-of">
          ({line.pickedQty} of {line.qty} picked)
        </span>
      </p>
    </section>
  );
}

function QuantityForm({ max, onSubmit, onCancel }: { max: number; onSubmit: (qty: number) => void; onCancel: () => void }) {
  const [value, setValue] = useState('');
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Empty or not a number becomes 0 or NaN, which the workflow refuses with what to type.
    onSubmit(value.trim() === '' ? 0 : Number(value));
  }
  return (
    <form className="pick-form" aria-label="Enter quantity" onSubmit={submit} noValidate>
      <label className="field">
        <span className="field-label">Quantity</span>
        <input
          name="quantity"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          autoFocus
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
      </label>
      <p className="pick-form-hint">1 to {max}</p>
      <div className="pick-form-actions">
        <button type="submit" className="button button-primary">
          Confirm
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ShortForm({
  title,
  onReason,
  onCancel,
}: {
  title: string;
  onReason: (reason: ShortReason) => void;
  onCancel: () => void;
}) {
  return (
    <fieldset className="pick-form">
      <legend className="pick-form-legend">{title}</legend>
      <div className="pick-form-actions">
        {SHORT_REASONS.map(({ reason, label }) => (
          <button key={reason} type="button" className="button button-primary" onClick={() => onReason(reason)}>
            {label}
          </button>
        ))}
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}

function Summary({ state, onUndo }: { state: PickState; onUndo: () => void }) {
  const { view } = state;
  const summary = pickSummary(view.lines);
  return (
    <section className="pick-summary" aria-labelledby="pick-summary-title">
      <h2 id="pick-summary-title">Pick list done</h2>
      <dl className="pick-summary-figures">
        <div>
          <dt>Lines picked</dt>
          <dd>
            {summary.linesPicked} of {summary.lineCount}
          </dd>
        </div>
        <div>
          <dt>Units picked</dt>
          <dd>
            {summary.unitsPicked} of {summary.unitsTotal}
          </dd>
        </div>
        <div>
          <dt>Short lines</dt>
          <dd>{summary.shortLines.length}</dd>
        </div>
      </dl>
      {summary.shortLines.length > 0 && (
        <ul className="pick-summary-shorts" aria-label="Short lines">
          {summary.shortLines.map((short) => (
            <li key={short.lineId}>
              {productText(view, short.productId)} at {binCode(view, short.locationId)}: {short.shortQty} short
              {short.reason && <> · {SHORT_REASONS.find((r) => r.reason === short.reason)?.label ?? short.reason}</>}
            </li>
          ))}
        </ul>
      )}
      <div className="pick-actions">
        <Link className="button button-primary" to="/pick">
          Back to pick lists
        </Link>
        {state.undo.length > 0 && (
          <button type="button" className="button" onClick={onUndo}>
            Undo last scan
          </button>
        )}
      </div>
    </section>
  );
}
