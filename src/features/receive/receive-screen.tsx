// The receive screen (/receive/:receiptId): the receipt's lines (expected, received, damaged), the
// item being received and the LPN big enough to read at arm's length, the Scan field always ready.
// The workflow's decisions are the domain's receive reducer; this screen renders its state and
// carries out its intents through the receive commands, one event at a time.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import {
  DAMAGE_REASONS,
  productText,
  receiveProgress,
  receiveReducer,
  receiveSummary,
  scanPrompt,
  startReceive,
} from '../../domain/workflows/receive';
import type { ReceiveEvent, ReceiveState, ReceiveView } from '../../domain/workflows/receive';
import { FormButtons, QuantityForm } from '../../ui/floor-forms';
import { ScanLayout } from '../../ui/scan-layout';
import type { FloorMessage } from '../../ui/floor-messages';
import { ProgressBar } from '../../ui/progress-bar';
import { ScreenLoading, ScreenNotFound } from '../../ui/screen-states';
import { useWorkflow } from '../../ui/use-workflow';
import { usePhotosWaiting, useReceiveView } from './queries';
import { useReceiveDeps } from './receive-context';
import './receive.css';

export default function ReceiveScreen() {
  const { receiptId = '' } = useParams();
  const { db } = useReceiveDeps();
  const view = useReceiveView(db, receiptId);

  if (view === undefined) return <ScreenLoading />;
  if (view === null) {
    return (
      <ScreenNotFound
        title="Receipt not found"
        lead="This device does not have that receipt: it may be another client's, or not synced yet."
        back={{ to: '/receive', label: 'Back to receipts' }}
      />
    );
  }
  return <ReceiveWorkflow key={receiptId} view={view} />;
}

const FORMS: ReceiveState['step'][] = ['lot-expiry', 'enter-quantity', 'damaged', 'confirm-close'];

function ReceiveWorkflow({ view }: { view: ReceiveView }) {
  const { db, commands, wedgeOptions } = useReceiveDeps();
  /** The photo chosen in the damage form, kept until its mutation commits. */
  const photoRef = useRef<Blob | null>(null);
  const [photoNote, setPhotoNote] = useState<FloorMessage | null>(null);
  const photosWaiting = usePhotosWaiting(db, view.receiptId);

  const { state, rootRef, send, onScan } = useWorkflow({
    view,
    start: () => startReceive(view, commands.today(view.timeZone)),
    reducer: receiveReducer,
    viewUpdated: (view): ReceiveEvent => ({ type: 'view-updated', view }),
    scanEvent: async (text, current): Promise<ReceiveEvent> => ({
      type: 'scan',
      lookup: await commands.resolveScan(text, { receiptId: current.view.receiptId }),
    }),
    carryOut: async (result, { dispatch, current }) => {
      const intent = result.intent;
      if (!intent) return result.feedback;
      if ('drawLpn' in intent) {
        const drawn = await commands.drawLpn();
        return dispatch(drawn.ok ? { type: 'lpn-drawn', code: drawn.code, remaining: drawn.remaining } : { type: 'lpn-unavailable', message: drawn.message }).feedback;
      }
      const submission = intent.submit;
      const photo = photoRef.current;
      photoRef.current = null;
      const outcome = await commands.submit(submission);
      if (!outcome.ok) return dispatch({ type: 'rejected', message: outcome.message }).feedback;
      if (photo && submission.type === 'receive' && submission.args.damagedQty > 0) {
        const saved = await commands.savePhoto({ mutationId: outcome.mutationId, receiptId: submission.args.receiptId, photo });
        setPhotoNote(saved.ok ? { tone: 'info', text: 'Photo kept: it uploads when the device is online' } : { tone: 'error', text: saved.message });
      } else {
        setPhotoNote(null);
      }
      let fresh: ReceiveView | null = null;
      try {
        fresh = await commands.loadView(current().view.receiptId);
      } catch (error) {
        console.error('Could not re-read the receipt', error);
      }
      return dispatch({ type: 'submitted', view: fresh ?? current().view }).feedback;
    },
    forms: FORMS,
  });

  // Keep LPN numbers in stock while the device is online.
  useEffect(() => {
    void commands.topUpLpns();
  }, [commands]);

  const progress = receiveProgress(state.view.lines);
  const progressText = `${progress.unitsDone}/${progress.unitsExpected} units · ${progress.linesComplete} of ${progress.lineCount} lines complete`;
  const message = state.message;
  const current = state.current;
  const tracked = current && (current.product.lotTracked || current.product.expiryTracked);

  return (
    <ScanLayout
      rootRef={rootRef}
      heading={
        <header className="receive-header">
          <h1 className="floor-title">Receipt {state.view.number}</h1>
          <p className="receive-header-sub">
            {state.view.supplier} · to {state.view.dockCode}
          </p>
          <p className="receive-header-progress">{progressText}</p>
          <ProgressBar value={progress.unitsDone} max={progress.unitsExpected} label="Receipt progress" text={progressText} />
        </header>
      }
      prompt={state.step === 'closed' ? 'Receipt closed' : scanPrompt(state)}
      messages={[message, photoNote]}
      scan={state.step === 'closed' ? null : { onScan, wedgeOptions }}
    >
      {state.step === 'closed' ? (
        <Summary view={state.view} closed />
      ) : (
        <>
          <section className="receive-current" aria-label="Receiving now">
            <p className="receive-current-lpn">
              <span className="receive-caption">LPN</span>{' '}
              <span className="receive-lpn-code">{state.lpn ?? 'none (loose at the dock)'}</span>
            </p>
            {current ? (
              <>
                <p className="receive-current-product">{current.product.name}</p>
                <p className="receive-current-sku">
                  SKU {current.product.sku}
                  {current.lot && <> · Lot {current.lot}</>}
                  {current.expiry && <> · Expires {current.expiry}</>}
                </p>
              </>
            ) : (
              <p className="receive-current-product">No item yet</p>
            )}
          </section>

          {state.step === 'lot-expiry' && state.awaiting && (
            <LotExpiryForm
              title={`Lot and expiry of ${productText(state.awaiting.product)}`}
              lot={state.awaiting.product.lotTracked}
              expiry={state.awaiting.product.expiryTracked}
              initialLot={state.awaiting.lot ?? ''}
              initialExpiry={state.awaiting.expiry ?? ''}
              onSubmit={(lot, expiry) => void send({ type: 'lot-expiry', lot, expiry })}
              onCancel={() => void send({ type: 'cancel' })}
            />
          )}
          {state.step === 'enter-quantity' && current && (
            <QuantityForm
              label={`Quantity of ${productText(current.product)} received`}
              onSubmit={(qty) => void send({ type: 'quantity', qty })}
              onCancel={() => void send({ type: 'cancel' })}
            />
          )}
          {state.step === 'damaged' && current && (
            <DamagedForm
              title={`Damaged ${productText(current.product)}`}
              onSubmit={(qty, reason, photo) => {
                photoRef.current = photo;
                void send({ type: 'damaged', qty, reason });
              }}
              onCancel={() => void send({ type: 'cancel' })}
            />
          )}
          {state.step === 'confirm-close' && (
            <section className="floor-form" aria-label="Close receipt">
              <Summary view={state.view} />
              <div className="floor-actions">
                <button type="button" className="button button-primary" onClick={() => void send({ type: 'confirm-close' })}>
                  Close receipt
                </button>
                <button type="button" className="button" onClick={() => void send({ type: 'cancel' })}>
                  Cancel
                </button>
              </div>
            </section>
          )}

          {state.lpn && (
            <p className="receive-lpn-big" aria-label="Current LPN">
              {state.lpn}
            </p>
          )}

          <div className="floor-actions">
            <button type="button" className="button" onClick={() => void send({ type: 'open-quantity' })}>
              Enter quantity
            </button>
            <button type="button" className="button" onClick={() => void send({ type: 'open-damaged' })}>
              Damaged
            </button>
            {tracked && (
              <button type="button" className="button" onClick={() => void send({ type: 'open-lot-expiry' })}>
                Lot and expiry
              </button>
            )}
            <button type="button" className="button" onClick={() => void send({ type: 'new-lpn' })}>
              New LPN
            </button>
            {state.lpn && (
              <button type="button" className="button" onClick={() => void send({ type: 'clear-lpn' })}>
                Receive loose
              </button>
            )}
            {state.step !== 'confirm-close' && (
              <button type="button" className="button" onClick={() => void send({ type: 'open-close' })}>
                Close receipt
              </button>
            )}
          </div>

          <Lines view={state.view} />
        </>
      )}
      {photosWaiting !== undefined && photosWaiting > 0 && (
        <p className="receive-photos-waiting">
          {photosWaiting} {photosWaiting === 1 ? 'photo' : 'photos'} waiting to upload
        </p>
      )}
      <Link className="button" to="/receive">
        Back to receipts
      </Link>
    </ScanLayout>
  );
}

function Lines({ view }: { view: ReceiveView }) {
  return (
    // On a phone the table scrolls inside its box (focusable, so a keyboard can scroll it too);
    // the page itself never scrolls sideways.
    <div className="floor-table-wrap" role="region" aria-label="Receipt lines, scrollable" tabIndex={0}>
      <table className="receive-lines" aria-label="Receipt lines">
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">Expected</th>
            <th scope="col">Received</th>
            <th scope="col">Damaged</th>
          </tr>
        </thead>
        <tbody>
          {view.lines.map((line) => {
            const product = view.products[line.productId];
            return (
              <tr key={line.id} className={line.receivedQty >= line.expectedQty && !line.unexpected ? 'receive-line-done' : undefined}>
                <th scope="row">
                  {product ? productText(product) : line.productId}
                  {line.unexpected && <span className="receive-unexpected"> (unexpected)</span>}
                </th>
                <td>{line.expectedQty}</td>
                <td>{line.receivedQty}</td>
                <td>{line.damagedQty}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Summary({ view, closed = false }: { view: ReceiveView; closed?: boolean }) {
  const summary = receiveSummary(view.lines);
  const titleId = closed ? 'receive-summary-closed' : 'receive-summary-title';
  return (
    <section className="receive-summary" aria-labelledby={titleId}>
      <h2 id={titleId}>{closed ? `Receipt ${view.number} closed` : 'Summary before closing'}</h2>
      <dl className="receive-summary-figures">
        <div>
          <dt>Expected</dt>
          <dd>{summary.expected}</dd>
        </div>
        <div>
          <dt>Received</dt>
          <dd>{summary.received}</dd>
        </div>
        <div>
          <dt>Damaged</dt>
          <dd>{summary.damaged}</dd>
        </div>
        <div>
          <dt>Short</dt>
          <dd>{summary.short}</dd>
        </div>
      </dl>
      <ul className="receive-summary-lines" aria-label="Summary per line">
        {summary.lines.map((line) => {
          const product = view.products[line.productId];
          const name = product ? productText(product) : line.productId;
          const notes = [line.short > 0 && `${line.short} short`, line.over > 0 && `${line.over} over`, line.unexpected && 'unexpected']
            .filter(Boolean)
            .join(', ');
          return (
            <li key={line.lineId}>
              {name}: expected {line.expected}, received {line.received}, damaged {line.damaged}
              {notes && ` (${notes})`}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function LotExpiryForm(props: {
  title: string;
  lot: boolean;
  expiry: boolean;
  initialLot: string;
  initialExpiry: string;
  onSubmit: (lot: string, expiry: string) => void;
  onCancel: () => void;
}) {
  const [lot, setLot] = useState(props.initialLot);
  const [expiry, setExpiry] = useState(props.initialExpiry);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    props.onSubmit(lot, expiry);
  }
  return (
    <form className="floor-form" aria-label={props.title} onSubmit={submit} noValidate>
      {props.lot && (
        <label className="field">
          <span className="field-label">Lot</span>
          <input name="lot" type="text" autoComplete="off" autoCapitalize="characters" autoFocus value={lot} onChange={(e) => setLot(e.target.value)} />
        </label>
      )}
      <label className="field">
        <span className="field-label">Expiry{props.expiry ? '' : ' (if printed)'}</span>
        <input
          name="expiry"
          type="text"
          inputMode="numeric"
          placeholder="YYYY-MM-DD"
          autoComplete="off"
          autoFocus={!props.lot}
          value={expiry}
          onChange={(e) => setExpiry(e.target.value)}
        />
      </label>
      <FormButtons submit="Confirm" onCancel={props.onCancel} />
    </form>
  );
}

function DamagedForm({
  title,
  onSubmit,
  onCancel,
}: {
  title: string;
  onSubmit: (qty: number, reason: string, photo: Blob | null) => void;
  onCancel: () => void;
}) {
  const [qty, setQty] = useState('1');
  const [reason, setReason] = useState('');
  const [photo, setPhoto] = useState<File | null>(null);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onSubmit(qty.trim() === '' ? 0 : Number(qty), reason, photo);
  }
  return (
    <form className="floor-form" aria-label={title} onSubmit={submit} noValidate>
      <label className="field">
        <span className="field-label">Damaged units</span>
        <input name="damaged-qty" type="text" inputMode="numeric" autoComplete="off" autoFocus value={qty} onChange={(e) => setQty(e.target.value)} />
      </label>
      <fieldset className="receive-reasons">
        <legend>What is wrong?</legend>
        {DAMAGE_REASONS.map((option) => (
          <label key={option} className="receive-reason">
            <input type="radio" name="damage-reason" value={option} checked={reason === option} onChange={() => setReason(option)} />
            {option}
          </label>
        ))}
      </fieldset>
      <label className="field">
        <span className="field-label">Photo (optional)</span>
        <input name="photo" type="file" accept="image/*" capture="environment" onChange={(e) => setPhoto(e.target.files?.[0] ?? null)} />
      </label>
      <FormButtons submit="Record damage" onCancel={onCancel} />
    </form>
  );
}
