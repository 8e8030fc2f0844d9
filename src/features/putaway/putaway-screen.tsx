// The putaway screen (/putaway): the stock waiting at the docks, the units in hand with the bin to
// take them to and why, and "Move stock" for bin-to-bin moves. The decisions are the domain's
// putaway reducer; this screen renders its state and carries out its intents through the commands.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router';
import {
  OVERRIDE_REASONS,
  binCode,
  dockGroups,
  groupsAt,
  putawayReducer,
  scanPrompt,
  sourceLocationId,
  sourceText,
  sourceUnits,
  startPutaway,
  taskQty,
} from '../../domain/workflows/putaway';
import type { PutawayEvent, PutawayResult, PutawaySource, PutawayState, PutawayTask, PutawayView } from '../../domain/workflows/putaway';
import { ScanField } from '../../scanner/scan-field';
import type { ScanEvent, ScanOutcome } from '../../scanner/types';
import { usePutawayDeps } from './putaway-context';
import { usePutawayView } from './queries';
import './putaway.css';

type Feedback = ScanOutcome | null;

export interface PutawayScreenProps {
  /** The workflow's label, for the heading. */
  title?: string;
}

export default function PutawayScreen({ title = 'Put away' }: PutawayScreenProps) {
  const { db } = usePutawayDeps();
  const view = usePutawayView(db);
  if (view === undefined) {
    return (
      <section className="screen">
        <h1>{title}</h1>
        <p className="loading">Loading…</p>
      </section>
    );
  }
  return <PutawayWorkflow title={title} view={view} />;
}

function PutawayWorkflow({ title, view }: { title: string; view: PutawayView }) {
  const { commands, wedgeOptions } = usePutawayDeps();
  const [state, setState] = useState<PutawayState>(() => startPutaway(view));
  const stateRef = useRef(state);
  /** Scans and button presses run one after another: each sees the state the previous one left. */
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const rootRef = useRef<HTMLElement>(null);

  const dispatch = useCallback((event: PutawayEvent): PutawayResult => {
    const result = putawayReducer(stateRef.current, event);
    stateRef.current = result.state;
    setState(result.state);
    return result;
  }, []);

  useEffect(() => {
    if (view !== stateRef.current.view) dispatch({ type: 'view-updated', view });
  }, [view, dispatch]);

  const carryOut = useCallback(
    async (result: PutawayResult): Promise<Feedback> => {
      if (!result.intent) return result.feedback;
      const outcome = await commands.submit(result.intent.submit);
      if (!outcome.ok) return dispatch({ type: 'rejected', message: outcome.message, done: outcome.done }).feedback;
      let fresh: PutawayView | null = null;
      try {
        fresh = await commands.loadView();
      } catch (error) {
        console.error('Could not re-read the stock', error);
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

  const send = useCallback((event: PutawayEvent) => enqueue(() => carryOut(dispatch(event))), [enqueue, carryOut, dispatch]);

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
    const wasForm = previousStep.current === 'enter-quantity' || previousStep.current === 'override-reason';
    previousStep.current = state.step;
    if (wasForm && state.step !== 'enter-quantity' && state.step !== 'override-reason') {
      rootRef.current?.querySelector<HTMLInputElement>('input[name="scan"]')?.focus();
    }
  }, [state.step]);

  const { step, task } = state;
  const message = state.message;

  return (
    <section className="screen floor-screen" ref={rootRef}>
      <h1 className="floor-title">{step === 'move-from' || step === 'move-item' || task?.mode === 'move' ? 'Move stock' : title}</h1>

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

      {task && <TaskPanel view={state.view} task={task} />}

      <ScanField onScan={onScan} prompt={scanPrompt(state)} wedgeOptions={wedgeOptions} />

      {step === 'enter-quantity' && task?.source.kind === 'loose' && (
        <QuantityForm
          max={task.source.row.qty}
          onSubmit={(qty) => void send({ type: 'quantity', qty })}
          onCancel={() => void send({ type: 'cancel' })}
        />
      )}
      {step === 'override-reason' && (
        <ReasonForm
          title={`Why not ${task?.suggestion?.location?.code ?? 'the suggested bin'}?`}
          reasons={OVERRIDE_REASONS}
          onReason={(reason) => void send({ type: 'override', reason })}
          onCancel={() => void send({ type: 'cancel' })}
        />
      )}

      {step === 'scan-dest' && task && (
        <div className="floor-actions">
          {task.source.kind === 'loose' && (
            <button type="button" className="button" onClick={() => void send({ type: 'open-quantity' })}>
              Enter quantity
            </button>
          )}
          {task.suggestion?.location && task.overrideReason === null && (
            <button type="button" className="button" onClick={() => void send({ type: 'open-other-bin' })}>
              Other bin
            </button>
          )}
          <button type="button" className="button" onClick={() => void send({ type: 'cancel' })}>
            Cancel
          </button>
        </div>
      )}

      {step === 'choose' && (
        <>
          <div className="floor-actions">
            <button type="button" className="button" onClick={() => void send({ type: 'start-move' })}>
              Move stock
            </button>
          </div>
          <SourceList
            label="Waiting at the dock"
            empty="Nothing is waiting at the dock."
            view={state.view}
            sources={dockGroups(state.view)}
            onChoose={(source) => void send({ type: 'choose', source })}
          />
          <Link className="button" to="/">
            Back to home
          </Link>
        </>
      )}

      {(step === 'move-from' || step === 'move-item') && (
        <>
          {step === 'move-item' && state.fromLocationId && (
            <SourceList
              label={`In ${binCode(state.view, state.fromLocationId)}`}
              empty="Nothing here to move."
              view={state.view}
              sources={groupsAt(state.view, new Set([state.fromLocationId]))}
              onChoose={(source) => void send({ type: 'choose', source })}
            />
          )}
          <div className="floor-actions">
            <button type="button" className="button" onClick={() => void send({ type: 'cancel' })}>
              Cancel
            </button>
          </div>
        </>
      )}
    </section>
  );
}

function TaskPanel({ view, task }: { view: PutawayView; task: PutawayTask }) {
  const target = task.suggestion?.location ?? null;
  const from = binCode(view, sourceLocationId(task.source));
  const qty = taskQty(task);
  const all = sourceUnits(task.source);
  return (
    <section className="floor-card" aria-label="Units in hand">
      <p className="floor-card-what">{sourceText(view, task.source)}</p>
      <p className="floor-card-qty">
        <span className="floor-card-qty-value">{qty}</span> {qty === all ? `(all at ${from})` : `of ${all} at ${from}`}
      </p>
      {task.suggestion && (
        <>
          <p className="floor-card-bin">
            <span className="floor-card-caption">Go to</span>{' '}
            <span className="floor-card-bin-code">{target ? target.code : 'any bin'}</span>
          </p>
          <p className="floor-card-reason">{task.suggestion.reason}</p>
        </>
      )}
      {task.overrideReason !== null && <p className="floor-card-reason">Other bin: {task.overrideReason}</p>}
    </section>
  );
}

function SourceList({
  label,
  empty,
  view,
  sources,
  onChoose,
}: {
  label: string;
  empty: string;
  view: PutawayView;
  sources: readonly PutawaySource[];
  onChoose: (source: PutawaySource) => void;
}) {
  if (sources.length === 0) return <p className="lead">{empty}</p>;
  return (
    <section className="floor-list-section">
      <h2 className="floor-subtitle">{label}</h2>
      <ul className="floor-list" aria-label={label}>
        {sources.map((source) => {
          const key = source.kind === 'lpn' ? `lpn|${source.locationId}|${source.lpn}` : source.row.id;
          return (
            <li key={key}>
              <button type="button" className="button floor-list-button" onClick={() => onChoose(source)}>
                <span>{sourceText(view, source)}</span>
                <span className="floor-list-detail">
                  {source.kind === 'loose' ? `×${source.row.qty} · ` : ''}
                  {binCode(view, sourceLocationId(source))}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function QuantityForm({ max, onSubmit, onCancel }: { max: number; onSubmit: (qty: number) => void; onCancel: () => void }) {
  const [value, setValue] = useState('');
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit(value.trim() === '' ? 0 : Number(value));
  }
  return (
    <form className="floor-form" aria-label="Enter quantity" onSubmit={submit} noValidate>
      <label className="field">
        <span className="field-label">Quantity</span>
        <input name="quantity" type="text" inputMode="numeric" autoComplete="off" autoFocus value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      <p className="floor-form-hint">1 to {max}</p>
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
