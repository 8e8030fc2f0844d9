// The pick screen (/pick/:pickListId): one line at a time in the device's order, the bin and item
// big enough to read at arm's length, the Scan field always ready. The workflow's decisions are
// the domain's pick reducer; this screen renders its state and carries out its intents through
// the pick commands, one event at a time.
import { useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { readSession } from '../../storage/session-repo';
import { submit } from '../../storage/submit-bridge';
import { Link, useParams } from 'react-router';
import type { PickLine } from '../../domain/entities';
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
import type { PickEvent, PickState, PickView } from '../../domain/workflows/pick';
import { useSyncStatus } from '../../sync/status-store';
import { ChoiceForm, QuantityForm } from '../../ui/floor-forms';
import { ScanLayout } from '../../ui/scan-layout';
import { ProgressBar } from '../../ui/progress-bar';
import { ScreenLoading, ScreenNotFound } from '../../ui/screen-states';
import { useWorkflow } from '../../ui/use-workflow';
import { usePickDeps } from './pick-context';
import { usePickView, withCommittedLines } from './queries';
import './pick.css';

export default function PickScreen() {
  const { pickListId = '' } = useParams();
  const { db } = usePickDeps();
  const view = usePickView(db, pickListId);
  if (view === undefined) return <ScreenLoading />;
  if (view === null) {
    return (
      <ScreenNotFound
        title="Pick list not found"
        lead="This device does not have that pick list: it may be finished, or not synced yet."
        back={{ to: '/pick', label: 'Back to pick lists' }}
      />
    );
  }
  return (
    <ClaimGate view={view}>
      <PickWorkflow key={pickListId} view={view} />
    </ClaimGate>
  );
}

/**
 * One picker per list: opening a list nobody holds claims it (a mutation, so it works offline); a
 * list another picker holds says who and since when, and is taken over only on purpose.
 */
function ClaimGate({ view, children }: { view: PickView; children: ReactNode }) {
  const { db } = usePickDeps();
  const me = useLiveQuery(async () => (await readSession(db))?.user.id, [db]);
  const claim = view.claim ?? { by: null, name: null, at: null };
  const asked = useRef(false);
  const [problem, setProblem] = useState<string | null>(null);
  const takeOver = async (force: boolean) => {
    const result = await submit(db, { type: 'claim-pick-list', args: { pickListId: view.pickListId, takeOver: force } });
    setProblem(result.ok ? null : result.rejection.message);
  };
  useEffect(() => {
    if (!me || claim.by !== null || asked.current) return;
    asked.current = true;
    void takeOver(false);
    // Once per list opened: the claim's own commit updates the view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [me, claim.by]);
  if (!me || claim.by === null || claim.by === me) return children;
  const since = claim.at ? ` since ${new Date(claim.at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}` : '';
  return (
    <section className="screen floor-screen">
      <h1 className="floor-title">Pick list {view.number}</h1>
      <p className="floor-message floor-message-warning" role="alert">
        {`Held by ${claim.name ?? 'another picker'}${since}. Take it over only if they have stopped picking it.`}
      </p>
      {problem && <p className="floor-message floor-message-error">{problem}</p>}
      <div className="floor-actions">
        <button type="button" className="button button-primary" onClick={() => void takeOver(true)}>
          Take it over
        </button>
        <Link className="button" to="/pick">
          Back to pick lists
        </Link>
      </div>
    </section>
  );
}

interface PostTaskScheduler {
  postTask(task: () => void, options: { priority: 'user-blocking' }): Promise<void>;
}

/**
 * Runs `task` in the first task after the current frame: queued from a requestAnimationFrame
 * callback, it runs once that frame is rendered. It is queued at user-blocking priority where the
 * browser has `scheduler.postTask`, so work already waiting at normal priority (the live queries a
 * commit wakes) does not run between the frame and the mark.
 */
function afterFrame(task: () => void): void {
  const scheduler = (globalThis as { scheduler?: PostTaskScheduler }).scheduler;
  if (scheduler) void scheduler.postTask(task, { priority: 'user-blocking' });
  else setTimeout(task);
}

const SHORT_CHOICES = SHORT_REASONS.map(({ reason, label }) => ({ value: reason, label }));

const FORMS: PickState['step'][] = ['enter-quantity', 'short-reason'];

function PickWorkflow({ view }: { view: PickView }) {
  const { commands, wedgeOptions } = usePickDeps();
  /** Set while a committed scan's confirmation waits to be rendered (see the mark below). */
  const confirming = useRef(false);
  const { state, rootRef, send, onScan } = useWorkflow({
    view,
    start: () => startPick(view),
    reducer: pickReducer,
    viewUpdated: (view): PickEvent => ({ type: 'view-updated', view }),
    scanEvent: async (text, s): Promise<PickEvent> => ({
      type: 'scan',
      lookup: await commands.resolveScan(text, { preferProductId: currentLine(s.view)?.productId }),
    }),
    carryOut: async (result, { dispatch, current }) => {
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
      // `npm run bench` reads this mark too: the scan's transaction has committed (latest only).
      performance.clearMarks('dockhand:committed');
      performance.mark('dockhand:committed');
      confirming.current = true;
      // The committed lines patch the screen's view (no re-read of the list); the live query
      // brings anything else that changed meanwhile.
      return dispatch({ type: 'submitted', view: withCommittedLines(current().view, outcome.lines) }).feedback;
    },
    forms: FORMS,
  });

  // `npm run bench` reads this mark: the confirmation of a committed scan has been painted (a
  // task queued from the frame that renders it runs after that frame's paint). Only the latest is kept.
  useEffect(() => {
    if (!confirming.current) return;
    confirming.current = false;
    requestAnimationFrame(() => afterFrame(() => {
      performance.clearMarks('dockhand:confirmed');
      performance.mark('dockhand:confirmed');
    }));
  }, [state]);

  // The bin is confirmed: the item scan comes next, so its reads are made now, while the picker
  // reaches for the item, and the scan itself only writes (storage/outbox `anticipateMutation`).
  // A finished sync has written the view (pull pages, a rebuild), so what the last scan read is
  // stale: read ahead again then too, not at the next scan.
  const line = currentLine(state.view);
  const expected = state.step === 'scan-item' && line ? line : null;
  const lastSyncAt = useSyncStatus((s) => s.lastSyncAt);
  useEffect(() => {
    if (!expected) return;
    commands.anticipate?.({
      type: 'pick',
      args: { pickLineId: expected.id, locationId: expected.locationId, productId: expected.productId, lot: expected.lot, qty: 1 },
    });
    // Once per line reached and per sync: later scans on it keep what the last one read.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [expected?.id, commands, lastSyncAt]);

  const progress = pickProgress(state.view.lines);
  const progressText = `Line ${progress.position} of ${progress.lineCount} · ${progress.unitsDone}/${progress.unitsTotal} units`;

  return (
    <ScanLayout
      rootRef={rootRef}
      heading={
        <header className="pick-header">
          <h1 className="floor-title">Pick list {state.view.number}</h1>
          <p className="pick-header-progress">{progressText}</p>
          <ProgressBar value={progress.unitsDone} max={progress.unitsTotal} label="Pick list progress" text={progressText} />
        </header>
      }
      prompt={state.step === 'list-done' || !line ? 'Pick list done' : scanPrompt(state)}
      messages={[state.message]}
      scan={state.step === 'list-done' || !line ? null : { onScan, wedgeOptions }}
    >
      {state.step === 'list-done' || !line ? (
        <Summary state={state} onUndo={() => void send({ type: 'undo' })} />
      ) : (
        <>
          <CurrentLine view={state.view} line={line} binConfirmed={state.step !== 'scan-bin' && state.confirmedBinId === line.locationId} />
          {state.step === 'enter-quantity' && (
            <QuantityForm
              max={remaining(line)}
              onSubmit={(qty) => void send({ type: 'quantity', qty })}
              onCancel={() => void send({ type: 'cancel' })}
            />
          )}
          {state.step === 'short-reason' && (
            <ChoiceForm
              title={`Short pick ${remaining(line)} × ${productText(state.view, line.productId)}: why?`}
              choices={SHORT_CHOICES}
              onChoose={(reason) => void send({ type: 'short-reason', reason })}
              onCancel={() => void send({ type: 'cancel' })}
            />
          )}
          <div className="floor-actions">
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
    </ScanLayout>
  );
}

function CurrentLine({ view, line, binConfirmed }: { view: PickView; line: PickLine; binConfirmed: boolean }) {
  const product = view.products[line.productId];
  return (
    <section className="floor-card" aria-label="Current line">
      <p className="pick-line-bin">
        <span className="floor-card-caption">Bin</span>{' '}
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
      <div className="floor-actions">
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
