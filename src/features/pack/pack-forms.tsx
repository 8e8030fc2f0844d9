// The pack station's own forms: closing a carton (its box, its weight, and — when the order would
// leave short — the reason and the supervisor's code), and moving units between open cartons.
// Each ends with the workflow's event, or Cancel.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { closesShort, expectedText, unitsInCarton, type PackOrder } from '../../domain/workflows/pack';
import { kilograms, parseWeight } from '../../domain/weight';
import { FormButtons } from '../../ui/floor-forms';

export interface CloseCartonFormProps {
  order: PackOrder;
  carton: string;
  boxId: string | null;
  onChooseBox: (boxId: string) => void;
  onClose: (close: { boxId: string; weightGrams: number; short: { reason: string; overrideCode: string } | null }) => void;
  /** A weight that cannot be read: the workflow says why, as for any refusal. */
  onProblem: (message: string) => void;
  onCancel: () => void;
}

export function CloseCartonForm({ order, carton, boxId, onChooseBox, onClose, onProblem, onCancel }: CloseCartonFormProps) {
  const [weight, setWeight] = useState('');
  const [reason, setReason] = useState('');
  const [code, setCode] = useState('');
  const short = closesShort(order, carton);
  // The Scan field keeps the focus until the box is known (a wedge scanner reads its shelf code);
  // then the weight field takes it, where a wedge scale types the weight.
  const weightRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (boxId) weightRef.current?.focus();
    else weightRef.current?.closest('section')?.querySelector<HTMLInputElement>('input[name="scan"]')?.focus();
  }, [boxId]);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!boxId) return onProblem('Choose the box first: scan its code or pick it from the list.');
    const read = parseWeight(weight);
    if (!read.ok) return onProblem(read.message);
    if (short && (reason.trim() === '' || code.trim() === '')) return onProblem('Closing short needs the reason and a supervisor’s override code.');
    onClose({ boxId, weightGrams: read.grams, short: short ? { reason: reason.trim(), overrideCode: code.trim() } : null });
  }
  return (
    <form className="floor-form" aria-label={`Close carton ${carton}`} onSubmit={submit} noValidate>
      <fieldset className="pack-boxes">
        <legend className="floor-form-legend">Box for carton {carton}</legend>
        {(order.boxes ?? []).map((box) => (
          <label key={box.id} className={box.id === boxId ? 'pack-box pack-box-chosen' : 'pack-box'}>
            <input type="radio" name="box" value={box.id} checked={box.id === boxId} onChange={() => onChooseBox(box.id)} />
            <span className="pack-box-code">{box.code}</span> {box.name}, {box.size}
            {box.maxWeightGrams !== null && <>, up to {kilograms(box.maxWeightGrams)}</>}
          </label>
        ))}
        {(order.boxes ?? []).length === 0 && <p className="floor-form-hint">This merchant has no boxes on file: ask a supervisor to add them.</p>}
      </fieldset>
      <label className="field">
        <span className="field-label">Weight (kg) — the scale types it here</span>
        <input ref={weightRef} name="weight" type="text" inputMode="decimal" autoComplete="off" value={weight} onChange={(e) => setWeight(e.target.value)} />
      </label>
      {short && (
        <>
          <p className="floor-form-hint pack-short-warning">
            Order {order.number} is not complete: still missing {expectedText(order)}. It can only leave short with a supervisor’s override code and a reason; it then waits for the supervisor.
          </p>
          <label className="field">
            <span className="field-label">Why is it short?</span>
            <input name="reason" type="text" autoComplete="off" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <label className="field">
            <span className="field-label">Supervisor’s override code</span>
            <input name="override-code" type="text" autoComplete="off" autoCapitalize="characters" maxLength={40} value={code} onChange={(e) => setCode(e.target.value)} />
          </label>
        </>
      )}
      <FormButtons submit={short ? 'Close short' : `Close carton ${carton}`} onCancel={onCancel} />
    </form>
  );
}

export interface MoveUnitsFormProps {
  order: PackOrder;
  /** The carton the units go to unless another is chosen: the next new one. */
  newCarton: string;
  onMove: (move: { productId: string; lot: string | null; serial: string | null; fromCarton: string; toCarton: string; qty: number }) => void;
  onCancel: () => void;
}

/** One entry per product, lot and serial in an open carton. */
function movable(order: PackOrder) {
  return (order.cartons ?? [])
    .filter((carton) => carton.status === 'open' && unitsInCarton(carton) > 0)
    .flatMap((carton) => carton.lines.map((line) => ({ key: `${carton.label}\u0000${line.productId}\u0000${line.lot ?? ''}\u0000${line.serial ?? ''}`, carton: carton.label, line })));
}

export function MoveUnitsForm({ order, newCarton, onMove, onCancel }: MoveUnitsFormProps) {
  const units = movable(order);
  const [key, setKey] = useState(units[0]?.key ?? '');
  const [qty, setQty] = useState('1');
  const open = (order.cartons ?? []).filter((carton) => carton.status === 'open').map((carton) => carton.label);
  const targets = [...new Set([...open, newCarton])];
  const chosen = units.find((unit) => unit.key === key);
  const [to, setTo] = useState(targets.find((label) => label !== chosen?.carton) ?? newCarton);
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!chosen) return;
    onMove({ productId: chosen.line.productId, lot: chosen.line.lot, serial: chosen.line.serial, fromCarton: chosen.carton, toCarton: to, qty: qty.trim() === '' ? 0 : Number(qty) });
  }
  return (
    <form className="floor-form" aria-label="Move units" onSubmit={submit} noValidate>
      <label className="field">
        <span className="field-label">Units</span>
        <select name="units" value={key} onChange={(e) => setKey(e.target.value)}>
          {units.map(({ key: value, carton, line }) => (
            <option key={value} value={value}>
              Carton {carton}: {line.qty} × {line.sku}
              {line.lot ? ` lot ${line.lot}` : ''}
              {line.serial ? ` S/N ${line.serial}` : ''}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">How many</span>
        <input name="quantity" type="text" inputMode="numeric" autoComplete="off" value={qty} onChange={(e) => setQty(e.target.value)} />
      </label>
      <label className="field">
        <span className="field-label">To carton</span>
        <select name="to" value={to} onChange={(e) => setTo(e.target.value)}>
          {targets.map((label) => (
            <option key={label} value={label}>
              Carton {label}
              {label === newCarton ? ' (new)' : ''}
            </option>
          ))}
        </select>
      </label>
      <FormButtons submit="Move" onCancel={onCancel} />
    </form>
  );
}
