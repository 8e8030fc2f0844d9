// The putaway screen (/putaway): the stock waiting at the docks, the units in hand with the bin to
// take them to and why, and "Move stock" for bin-to-bin moves. The decisions are the domain's
// putaway reducer; this screen renders its state and carries out its intents through the commands.
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
import type { PutawayEvent, PutawaySource, PutawayState, PutawayTask, PutawayView } from '../../domain/workflows/putaway';
import { ScanLayout } from '../../ui/scan-layout';
import { BinSuggestion } from '../../ui/bin-suggestion';
import { OtherBinForm, QuantityForm } from '../../ui/floor-forms';
import { ScreenLoading } from '../../ui/screen-states';
import { useWorkflow } from '../../ui/use-workflow';
import { usePutawayDeps } from './putaway-context';
import { usePutawayView } from './queries';

export interface PutawayScreenProps {
  /** The workflow's label, for the heading. */
  title?: string;
}

export default function PutawayScreen({ title = 'Put away' }: PutawayScreenProps) {
  const { db } = usePutawayDeps();
  const view = usePutawayView(db);
  if (view === undefined) return <ScreenLoading title={title} />;
  return <PutawayWorkflow title={title} view={view} />;
}

const FORMS: PutawayState['step'][] = ['enter-quantity', 'override-reason'];

function PutawayWorkflow({ title, view }: { title: string; view: PutawayView }) {
  const { commands, wedgeOptions } = usePutawayDeps();
  const { state, rootRef, send, onScan } = useWorkflow({
    view,
    start: () => startPutaway(view),
    reducer: putawayReducer,
    viewUpdated: (view): PutawayEvent => ({ type: 'view-updated', view }),
    scanEvent: async (text): Promise<PutawayEvent> => ({ type: 'scan', lookup: await commands.resolveScan(text) }),
    carryOut: async (result, { dispatch, current }) => {
      if (!result.intent) return result.feedback;
      const outcome = await commands.submit(result.intent.submit);
      if (!outcome.ok) return dispatch({ type: 'rejected', message: outcome.message, done: outcome.done }).feedback;
      let fresh: PutawayView | null = null;
      try {
        fresh = await commands.loadView();
      } catch (error) {
        console.error('Could not re-read the stock', error);
      }
      return dispatch({ type: 'submitted', view: fresh ?? current().view }).feedback;
    },
    forms: FORMS,
  });

  const { step, task } = state;
  const message = state.message;

  return (
    <ScanLayout
      rootRef={rootRef}
      heading={<h1 className="floor-title">{step === 'move-from' || step === 'move-item' || task?.mode === 'move' ? 'Move stock' : title}</h1>}
      prompt={scanPrompt(state)}
      messages={[message]}
      scan={{ onScan, wedgeOptions }}
    >
      {task && <TaskPanel view={state.view} task={task} />}

      {step === 'enter-quantity' && task?.source.kind === 'loose' && (
        <QuantityForm
          max={task.source.row.qty}
          onSubmit={(qty) => void send({ type: 'quantity', qty })}
          onCancel={() => void send({ type: 'cancel' })}
        />
      )}
      {step === 'override-reason' && (
        <OtherBinForm
          suggested={task?.suggestion?.location?.code}
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
    </ScanLayout>
  );
}

function TaskPanel({ view, task }: { view: PutawayView; task: PutawayTask }) {
  const from = binCode(view, sourceLocationId(task.source));
  const qty = taskQty(task);
  const all = sourceUnits(task.source);
  return (
    <section className="floor-card" aria-label="Units in hand">
      <p className="floor-card-what">{sourceText(view, task.source)}</p>
      <p className="floor-card-qty">
        <span className="floor-card-qty-value">{qty}</span> {qty === all ? `(all at ${from})` : `of ${all} at ${from}`}
      </p>
      {task.suggestion && <BinSuggestion caption="Go to" code={task.suggestion.location?.code ?? null} reason={task.suggestion.reason} />}
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
