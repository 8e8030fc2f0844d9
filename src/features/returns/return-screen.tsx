// The return screen (/returns/:returnId): scan each returned unit, choose its disposition, scan
// the bin for a restock; the return's lines with every count stay on screen. The decisions are
// the domain's returns reducer; this screen renders its state and carries out its intents.
import { useState } from 'react';
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
import type { ReturnView, ReturnsEvent, ReturnsState } from '../../domain/workflows/returns';
import { BinSuggestion } from '../../ui/bin-suggestion';
import { DAMAGE_REASONS } from '../../domain/damage';
import { ChoiceForm, FormButtons, OtherBinForm, ReasonForm } from '../../ui/floor-forms';
import { ScanLayout } from '../../ui/scan-layout';
import { ScreenLoading, ScreenNotFound } from '../../ui/screen-states';
import { useWorkflow } from '../../ui/use-workflow';
import { useReturnView } from './queries';
import { useReturnsDeps } from './returns-context';

export default function ReturnScreen() {
  const { returnId = '' } = useParams();
  const { db } = useReturnsDeps();
  const view = useReturnView(db, returnId);
  if (view === undefined) return <ScreenLoading />;
  if (view === null) {
    return (
      <ScreenNotFound
        title="Return not found"
        lead="This device does not have that return: it may not be synced yet."
        back={{ to: '/returns', label: 'Back to returns' }}
      />
    );
  }
  return <ReturnWorkflow key={returnId} view={view} />;
}

const DISPOSITION_CHOICES = DISPOSITIONS.map(({ disposition, label }) => ({ value: disposition, label }));

const FORMS: ReturnsState['step'][] = ['enter-lot', 'override-reason', 'damage-reason'];

function ReturnWorkflow({ view }: { view: ReturnView }) {
  const { commands, wedgeOptions } = useReturnsDeps();
  const { state, rootRef, send, onScan } = useWorkflow({
    view,
    start: () => startReturn(view),
    reducer: returnsReducer,
    viewUpdated: (view): ReturnsEvent => ({ type: 'view-updated', view }),
    scanEvent: async (text): Promise<ReturnsEvent> => ({ type: 'scan', lookup: await commands.resolveScan(text) }),
    carryOut: async (result, { dispatch, current }) => {
      if (!result.intent) return result.feedback;
      const outcome = await commands.submit(result.intent.submit);
      if (!outcome.ok) return dispatch({ type: 'rejected', message: outcome.message }).feedback;
      let fresh: ReturnView | null = null;
      try {
        fresh = await commands.loadView(current().view.ret.id);
      } catch (error) {
        console.error('Could not re-read the return', error);
      }
      return dispatch({ type: 'submitted', view: fresh ?? current().view }).feedback;
    },
    forms: FORMS,
  });

  const { step, unit, message } = state;
  const current = state.view;
  const target = state.suggestion?.location ?? null;

  return (
    <ScanLayout
      rootRef={rootRef}
      heading={
        <header>
          <h1 className="floor-title">Return {current.ret.rma}</h1>
          {current.orderNumber && <p className="floor-form-hint">Order {current.orderNumber}</p>}
        </header>
      }
      prompt={step === 'return-done' ? 'Return done' : scanPrompt(state)}
      messages={[message]}
      scan={step === 'return-done' ? null : { onScan, wedgeOptions }}
    >

      {unit && (step === 'disposition' || step === 'scan-bin' || step === 'override-reason') && (
        <section className="floor-card" aria-label="Unit in hand">
          <p className="floor-card-what">
            {productText(current, unit.productId)}
            {unit.lot !== null && <> · Lot {unit.lot}</>}
          </p>
          {step !== 'disposition' && state.suggestion && (
            <>
              <BinSuggestion caption="Restock to" code={target?.code ?? null} reason={state.suggestion.reason} />
              {state.overrideReason !== null && <p className="floor-card-reason">Other bin: {state.overrideReason}</p>}
            </>
          )}
        </section>
      )}


      {step === 'enter-lot' && (
        <LotForm onSubmit={(lot) => void send({ type: 'lot', lot })} onCancel={() => void send({ type: 'cancel' })} />
      )}

      {step === 'disposition' && unit && (
        <ChoiceForm
          title={`What happens to this ${skuOf(current, unit.productId)}?`}
          choices={DISPOSITION_CHOICES}
          onChoose={(disposition) => void send({ type: 'disposition', disposition })}
          onCancel={() => void send({ type: 'cancel' })}
          cancelLabel="Later"
        />
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
        <OtherBinForm
          suggested={target?.code}
          reasons={RESTOCK_OVERRIDE_REASONS}
          onReason={(reason) => void send({ type: 'override', reason })}
          onCancel={() => void send({ type: 'cancel' })}
        />
      )}

      {step === 'damage-reason' && unit && (
        <ReasonForm
          label="Damage"
          title={`What is wrong with the ${productText(current, unit.productId)}?`}
          reasons={DAMAGE_REASONS.filter((reason) => reason !== 'Other')}
          onReason={(reason) => void send({ type: 'damage-reason', reason })}
          onCancel={() => void send({ type: 'cancel' })}
        />
      )}

      {step === 'return-done' && <h2 className="floor-subtitle">Return done</h2>}

      <Lines view={current} canDecide={step === 'scan-item'} onDecide={(productId) => void send({ type: 'decide', productId })} />

      <Link className="button" to="/returns">
        Back to returns
      </Link>
    </ScanLayout>
  );
}

function Lines({ view, canDecide, onDecide }: { view: ReturnView; canDecide: boolean; onDecide: (productId: string) => void }) {
  return (
    // On a phone the table scrolls inside its box (focusable, so a keyboard can scroll it too);
    // the page itself never scrolls sideways.
    <div className="floor-table-wrap" role="region" aria-label="Return lines, scrollable" tabIndex={0}>
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
    </div>
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
      <FormButtons submit="Confirm" onCancel={onCancel} />
    </form>
  );
}
