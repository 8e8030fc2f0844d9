// The return screen (/returns/:returnId): scan each returned unit, choose its disposition, scan
// the bin for a restock; the return's lines with every count stay on screen. The decisions are
// the domain's returns reducer; this screen renders its state and carries out its intents.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import {
  DISPOSITIONS,
  RESTOCK_OVERRIDE_REASONS,
  productText,
  returnsReducer,
  scanPrompt,
  skuOf,
  startReturn,
  undecided,
} from '../../domain/workflows/returns';
import type { ReturnView, ReturnsEvent, ReturnsResult, ReturnsState } from '../../domain/workflows/returns';
import { ScanField } from '../../scanner/scan-field';
import type { ScanEvent, ScanOutcome } from '../../scanner/types';
import { useReturnView } from './queries';
import { useReturnsDeps } from './returns-context';
import './returns.css';

type Feedback = ScanOutcome | null;

export default function ReturnScreen() {
  const { returnId = '' } = useParams();
  const { db } = useReturnsDeps();
  const view = useReturnView(db, returnId);
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
        <h1>Return not found</h1>
        <p className="lead">This device does not have that return: it may not be synced yet.</p>
        <Link className="button" to="/returns">
          Back to returns
        </Link>
      </section>
    );
  }
  return <ReturnWorkflow key={returnId} view={view} />;
}

const FORMS = new Set<ReturnsState['step']>(['enter-lot', 'override-reason']);

function ReturnWorkflow({ view }: { view: ReturnView }) {
  const { commands, wedgeOptions } = useReturnsDeps();
  const [state, setState] = useState<ReturnsState>(() => startReturn(view));
  const stateRef = useRef(state);
  /** Scans and button presses run one after another: each sees the state the previous one left. */
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const rootRef = useRef<HTMLElement>(null);

  const dispatch = useCallback((event: ReturnsEvent): ReturnsResult => {
    const result = returnsReducer(stateRef.current, event);
    stateRef.current = result.state;
    setState(result.state);
    return result;
  }, []);

  useEffect(() => {
    if (view !== stateRef.current.view) dispatch({ type: 'view-updated', view });
  }, [view, dispatch]);

  const carryOut = useCallback(
    async (result: ReturnsResult): Promise<Feedback> => {
      if (!result.intent) return result.feedback;
      const outcome = await commands.submit(result.intent.submit);
      if (!outcome.ok) return dispatch({ type: 'rejected', message: outcome.message }).feedback;
      let fresh: ReturnView | null = null;
      try {
        fresh = await commands.loadView(stateRef.current.view.ret.id);
      } catch (error) {
        console.error('Could not re-read the return', error);
      }
      return dispatch({ type: 'submitted', view: fresh ?? stateRef.current.view }).feedback;
    },
    [commands, dispatch],
  );

  const enqueue = useCallback((task: () => Promise<Feedback>): Promise<Feedback> => {
    const run = queue.current.catch(() => undefined).then(task);
    queue.current = run;
    return run;
  }, []);

  const send = useCallback((event: ReturnsEvent) => enqueue(() => carryOut(dispatch(event))), [enqueue, carryOut, dispatch]);

  const onScan = useCallback(
    (event: ScanEvent): Promise<ScanOutcome | undefined> =>
      enqueue(async () => carryOut(dispatch({ type: 'scan', lookup: await commands.resolveScan(event.text) }))).then(
        (feedback) => feedback ?? undefined,
      ),
    [enqueue, commands, carryOut, dispatch],
  );

  // Back from a form to scanning: the Scan field takes the keyboard (and the wedge) again.
  const previousStep = useRef(state.step);
  useEffect(() => {
    const wasForm = FORMS.has(previousStep.current);
    previousStep.current = state.step;
    if (wasForm && !FORMS.has(state.step)) rootRef.current?.querySelector<HTMLInputElement>('input[name="scan"]')?.focus();
  }, [state.step]);

  const { step, unit, message } = state;
  const current = state.view;
  const target = state.suggestion?.location ?? null;

  return (
    <section className="screen floor-screen" ref={rootRef}>
      <header>
        <h1 className="floor-title">Return {current.ret.rma}</h1>
        {current.orderNumber && <p className="floor-form-hint">Order {current.orderNumber}</p>}
      </header>

      <div className="floor-messages" aria-live="polite">
        {message &&
          (message.tone === 'error' ? (
            <p role="alert" className="floor-message floor-message-error">
              {message.text}
            </p>
          ) : (
            <p className={`floor-message floor-message-${message.tone}`}>{message.text}</p>
          ))}
      </div>

      {unit && (step === 'disposition' || step === 'scan-bin' || step === 'override-reason') && (
        <section className="floor-card" aria-label="Unit in hand">
          <p className="floor-card-what">
            {productText(current, unit.productId)}
            {unit.lot !== null && <> · Lot {unit.lot}</>}
          </p>
          {step !== 'disposition' && state.suggestion && (
            <>
              <p className="floor-card-bin">
                <span className="floor-card-caption">Restock to</span>{' '}
                <span className="floor-card-bin-code">{target ? target.code : 'any bin'}</span>
              </p>
              <p className="floor-card-reason">{state.suggestion.reason}</p>
              {state.overrideReason !== null && <p className="floor-card-reason">Other bin: {state.overrideReason}</p>}
            </>
          )}
        </section>
      )}

      {step !== 'return-done' && <ScanField onScan={onScan} prompt={scanPrompt(state)} wedgeOptions={wedgeOptions} />}

      {step === 'enter-lot' && (
        <LotForm onSubmit={(lot) => void send({ type: 'lot', lot })} onCancel={() => void send({ type: 'cancel' })} />
      )}

      {step === 'disposition' && unit && (
        <fieldset className="floor-form">
          <legend className="floor-form-legend">What happens to this {skuOf(current, unit.productId)}?</legend>
          <div className="floor-actions">
            {DISPOSITIONS.map(({ disposition, label }) => (
              <button key={disposition} type="button" className="button button-primary" onClick={() => void send({ type: 'disposition', disposition })}>
                {label}
              </button>
            ))}
            <button type="button" className="button" onClick={() => void send({ type: 'cancel' })}>
              Later
            </button>
          </div>
        </fieldset>
      )}

      {step === 'scan-bin' && (
        <div className="floor-actions">
          {target && state.overrideReason === null && (
            <button type="button" className="button" onClick={() => void send({ type: 'open-other-bin' })}>
              Other bin
            </button>
          )}
          <button type="button" className="button" onClick={() => void send({ type: 'cancel' })}>
            Cancel
          </button>
        </div>
      )}

      {step === 'override-reason' && (
        <ReasonForm
          title={`Why not ${target?.code ?? 'the suggested bin'}?`}
          reasons={RESTOCK_OVERRIDE_REASONS}
          onReason={(reason) => void send({ type: 'override', reason })}
          onCancel={() => void send({ type: 'cancel' })}
        />
      )}

      {step === 'return-done' && <h2 className="floor-subtitle">Return done</h2>}

      <Lines view={current} canDecide={step === 'scan-item'} onDecide={(productId) => void send({ type: 'decide', productId })} />

      <Link className="button" to="/returns">
        Back to returns
      </Link>
    </section>
  );
}

function Lines({ view, canDecide, onDecide }: { view: ReturnView; canDecide: boolean; onDecide: (productId: string) => void }) {
  return (
    <table className="floor-table" aria-label="Return lines">
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col">Authorised</th>
          <th scope="col">Received</th>
          <th scope="col">Restocked</th>
          <th scope="col">Damaged</th>
          <th scope="col">Quarantined</th>
        </tr>
      </thead>
      <tbody>
        {view.lines.map((line) => {
          const waiting = undecided(line);
          return (
            <tr key={line.id}>
              <th scope="row">
                {productText(view, line.productId)}
                {waiting > 0 && canDecide && (
                  <button type="button" className="button floor-table-action" onClick={() => onDecide(line.productId)}>
                    Choose disposition for {skuOf(view, line.productId)} ({waiting} waiting)
                  </button>
                )}
              </th>
              <td>{line.authorisedQty}</td>
              <td>{line.receivedQty}</td>
              <td>{line.restockedQty}</td>
              <td>{line.damagedQty}</td>
              <td>{line.quarantinedQty}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function LotForm({ onSubmit, onCancel }: { onSubmit: (lot: string) => void; onCancel: () => void }) {
  const [value, setValue] = useState('');
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit(value);
  }
  return (
    <form className="floor-form" aria-label="Enter lot" onSubmit={submit} noValidate>
      <label className="field">
        <span className="field-label">Lot</span>
        <input name="lot" type="text" autoComplete="off" autoFocus maxLength={40} value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <div className="floor-actions">
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

function ReasonForm({
  title,
  reasons,
  onReason,
  onCancel,
}: {
  title: string;
  reasons: readonly string[];
  onReason: (reason: string) => void;
  onCancel: () => void;
}) {
  const [other, setOther] = useState('');
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onReason(other);
  }
  return (
    <form className="floor-form" aria-label="Other bin" onSubmit={submit} noValidate>
      <p className="floor-form-legend">{title}</p>
      <div className="floor-actions">
        {reasons.map((reason) => (
          <button key={reason} type="button" className="button button-primary" onClick={() => onReason(reason)}>
            {reason}
          </button>
        ))}
      </div>
      <label className="field">
        <span className="field-label">Other reason</span>
        <input name="reason" type="text" autoComplete="off" maxLength={200} value={other} onChange={(e) => setOther(e.target.value)} />
      </label>
      <div className="floor-actions">
        <button type="submit" className="button">
          Use this reason
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
