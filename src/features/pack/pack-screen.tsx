// The pack station (/pack): scan an order, its packing slip or a pick list; scan every item into
// a carton, each line's count in large figures; close each carton with its box and weight; scan
// the carrier's label to ship. The decisions
// are the domain's pack reducer; this screen renders its state and carries out its intents
// through the pack commands, one event at a time.
import { useEffect } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import { CARRIERS } from '../../domain/carriers';
import { initialPackState, isComplete, leftToPack, nextCartonLabel, orderOf, packProgress, packPrompt, packReducer, unitsInCarton } from '../../domain/workflows/pack';
import { kilograms } from '../../domain/weight';
import type { PackEvent, PackOrder, PackState, PackView } from '../../domain/workflows/pack';
import { useSyncStatus } from '../../sync/status-store';
import { ChoiceForm } from '../../ui/floor-forms';
import { ProgressBar } from '../../ui/progress-bar';
import { ScanLayout } from '../../ui/scan-layout';
import { useWorkflow } from '../../ui/use-workflow';
import { withCommitted, type PackExpectation } from './commands';
import { usePackDeps } from './pack-context';
import { CloseCartonForm, MoveUnitsForm } from './pack-forms';
import { PrintControls } from './print-controls';
import './pack.css';

const FORMS: PackState['step'][] = ['choose-carrier', 'close-carton', 'move-units'];

/** What the station waits for in each step: resolved first, so the usual scan is the quickest. */
const EXPECTED: Record<PackState['step'], PackExpectation> = {
  'scan-order': 'order',
  'pack-items': 'item',
  'sort-items': 'item',
  'close-carton': 'box',
  'move-units': 'item',
  'scan-label': 'label',
  'choose-carrier': 'label',
  shipped: 'order',
};
const CARRIER_CHOICES = CARRIERS.map((carrier) => ({ value: carrier, label: carrier }));

export default function PackScreen() {
  const { commands, wedgeOptions } = usePackDeps();
  const { state, rootRef, send, onScan } = useWorkflow<PackView | null, PackState, PackEvent, ReturnType<typeof packReducer>>({
    // The station opens orders as they are scanned: their live reads are below, not a route's.
    view: null,
    start: () => initialPackState,
    reducer: packReducer,
    viewUpdated: (view): PackEvent => (view ? { type: 'view-updated', view } : { type: 'cancel' }),
    scanEvent: async (text, s): Promise<PackEvent> => ({
      type: 'scan',
      lookup: await commands.resolveScan(text, { expect: EXPECTED[s.step] }),
    }),
    carryOut: async (result, { dispatch, current }) => {
      const intent = result.intent;
      if (!intent) return result.feedback;
      const outcome = await commands.submit(intent.submit);
      if (!outcome.ok) return dispatch({ type: 'rejected', message: outcome.message }).feedback;
      // The committed rows patch the station's view (no re-read of the order); the live query
      // brings anything else that changed meanwhile.
      const view = current().view ?? { pickList: null, orders: [] };
      return dispatch({ type: 'submitted', view: withCommitted(view, outcome) }).feedback;
    },
    forms: FORMS,
  });

  // What a pull or another device changes of the open orders (a cancel, a pick) shows at once.
  const openIds = state.view?.orders.map((order) => order.orderId).join(',') ?? '';
  const live = useLiveQuery(async () => (state.view ? commands.readView(state.view) : null), [openIds, state.pending === null]);
  useEffect(() => {
    if (live && state.view && !state.pending && JSON.stringify(live) !== JSON.stringify(state.view)) void send({ type: 'view-updated', view: live });
    // Only a new read from the database is news; the state it is compared with is read as it is.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [live]);

  // While packing, the next scan is most likely the first line with units left: its reads are
  // made now, while the packer reaches for the item, and the scan itself only writes.
  const order = orderOf(state);
  const next = state.step === 'pack-items' ? order?.lines.find((line) => leftToPack(line) > 0) : undefined;
  const lastSyncAt = useSyncStatus((s) => s.lastSyncAt);
  useEffect(() => {
    if (!order || !next) return;
    commands.anticipate?.({ type: 'pack', args: { orderId: order.orderId, productId: next.productId, qty: 1, cartonId: state.carton, lot: null, serial: null } });
    // Once per line reached, carton opened and sync: later scans of it keep what the last one read.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [order?.orderId, next?.orderLineId, state.carton, commands, lastSyncAt]);
  return (
    <ScanLayout
      rootRef={rootRef}
      heading={
        <header className="pack-header">
          <h1 className="floor-title">{order ? `Pack order ${order.number}` : state.view?.pickList ? `Sort pick list ${state.view.pickList.number}` : 'Pack'}</h1>
          {order && <OrderProgress order={order} carton={state.carton} />}
        </header>
      }
      prompt={packPrompt(state)}
      messages={[state.message]}
      scan={{ onScan, wedgeOptions }}
    >
      {state.step === 'choose-carrier' && (
        <ChoiceForm
          title={`Which carrier's label is ${state.unrecognised ?? ''}?`}
          choices={CARRIER_CHOICES}
          onChoose={(carrier) => void send({ type: 'choose-carrier', carrier })}
          onCancel={() => void send({ type: 'cancel' })}
        />
      )}
      {state.step === 'close-carton' && order && (
        <CloseCartonForm
          key={`${order.orderId}|${state.carton}`}
          order={order}
          carton={state.carton}
          boxId={state.boxId}
          onChooseBox={(boxId) => void send({ type: 'choose-box', boxId })}
          onClose={(close) => void send({ type: 'submit-close', ...close })}
          onProblem={(message) => void send({ type: 'form-problem', message })}
          onCancel={() => void send({ type: 'cancel' })}
        />
      )}
      {state.step === 'move-units' && order && (
        <MoveUnitsForm order={order} newCarton={nextCartonLabel(order, state.carton)} onMove={(move) => void send({ type: 'submit-move', ...move })} onCancel={() => void send({ type: 'cancel' })} />
      )}
      {state.step === 'pack-items' && order?.quantityTyped && <CountField count={state.count} onCount={(count) => void send({ type: 'set-count', count })} />}
      {order && state.step !== 'shipped' && <OrderLines order={order} />}
      {order && state.step !== 'shipped' && <Cartons order={order} current={state.carton} />}
      {order && closedCartons(order).length > 0 && <PrintControls orderId={order.orderId} orderNumber={order.number} cartons={closedCartons(order)} />}
      {state.step === 'sort-items' && state.view && <Slots orders={state.view.orders} />}
      {(state.step === 'pack-items' || state.step === 'close-carton') && (
        <div className="floor-actions">
          {state.step === 'pack-items' && (
            <>
              <button type="button" className="button" onClick={() => void send({ type: 'close-carton' })}>
                Close carton {state.carton}
              </button>
              <button type="button" className="button" onClick={() => void send({ type: 'new-carton' })}>
                Add carton
              </button>
            </>
          )}
          <button type="button" className="button" onClick={() => void send({ type: 'move-units' })}>
            Move units
          </button>
        </div>
      )}
    </ScanLayout>
  );
}

/** The cartons whose labels can be printed: closed, so their box and weight are known. */
const closedCartons = (order: PackOrder): string[] => (order.cartons ?? []).filter((carton) => carton.status === 'closed').map((carton) => carton.label);

/** "The next scan counts N", where the owner lets packers type a count. */
function CountField({ count, onCount }: { count: number; onCount: (count: number) => void }) {
  return (
    <label className="field pack-count">
      <span className="field-label">Next scan counts</span>
      <input
        name="count"
        type="number"
        inputMode="numeric"
        min={1}
        value={count}
        onChange={(e) => {
          const value = Number(e.target.value);
          if (e.target.value !== '') onCount(value);
        }}
      />
    </label>
  );
}

function Cartons({ order, current }: { order: PackOrder; current: string }) {
  const cartons = (order.cartons ?? []).filter((carton) => unitsInCarton(carton) > 0 || carton.label === current);
  if (cartons.length === 0) return null;
  return (
    <ul className="pack-cartons" aria-label={`Cartons of order ${order.number}`}>
      {cartons.map((carton) => {
        const box = order.boxes?.find((candidate) => candidate.id === carton.cartonTypeId);
        return (
          <li key={carton.label} className={carton.status === 'closed' ? 'pack-carton-closed' : carton.label === current ? 'pack-carton-current' : undefined}>
            <span className="pack-carton-label">Carton {carton.label}</span>{' '}
            {carton.status === 'closed' ? `closed: ${box?.code ?? ''} ${carton.weightGrams !== null ? kilograms(carton.weightGrams) : ''}` : carton.label === current ? 'open, scanning into it' : 'open'}
            {' · '}
            {carton.lines.map((line) => `${line.qty} × ${line.sku}${line.serial ? ` (S/N ${line.serial})` : ''}`).join(', ') || 'empty'}
          </li>
        );
      })}
    </ul>
  );
}

function OrderProgress({ order, carton }: { order: PackOrder; carton: string }) {
  const progress = packProgress(order);
  const text = `${progress.unitsPacked}/${progress.unitsOrdered} units · ${progress.linesDone} of ${progress.lineCount} lines · carton ${carton}`;
  return (
    <>
      <p className="pack-header-progress">{text}</p>
      <ProgressBar value={progress.unitsPacked} max={progress.unitsOrdered} label="Packing progress" text={text} />
    </>
  );
}

function OrderLines({ order }: { order: PackOrder }) {
  return (
    <table className="pack-lines" aria-label={`Lines of order ${order.number}`}>
      <thead>
        <tr>
          <th scope="col">Item</th>
          <th scope="col">Expected</th>
          <th scope="col">Scanned</th>
        </tr>
      </thead>
      <tbody>
        {order.lines.map((line) => (
          <tr key={line.orderLineId} className={line.packed >= line.ordered ? 'pack-line-done' : undefined}>
            <th scope="row">
              <span className="pack-line-sku">{line.sku}</span>
              <span className="pack-line-name">{line.name}</span>
            </th>
            <td className="pack-line-qty">{line.ordered}</td>
            <td className="pack-line-qty">
              {line.packed}
              {line.packed >= line.ordered && <span className="pack-line-check"> ✓</span>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Slots({ orders }: { orders: readonly PackOrder[] }) {
  return (
    <ol className="pack-slots" aria-label="Slots">
      {orders.map((order, i) => {
        const { unitsPacked, unitsOrdered } = packProgress(order);
        return (
          <li key={order.orderId} className={isComplete(order) ? 'pack-slot-done' : undefined}>
            <span className="pack-slot-number">Slot {i + 1}</span> {order.number}: {unitsPacked}/{unitsOrdered}
            {isComplete(order) && ' ✓'}
          </li>
        );
      })}
    </ol>
  );
}
