// The forms a workflow screen opens over its Scan field: a quantity, a reason (listed or typed),
// one choice from a list. Each ends with the workflow's own event, or Cancel.
import { useState } from 'react';
import type { FormEvent } from 'react';

export interface QuantityFormProps {
  /** The form's accessible name. */
  label?: string;
  /** Shown as the hint "1 to max"; no hint without it. */
  max?: number;
  onSubmit: (qty: number) => void;
  onCancel: () => void;
}

export function QuantityForm({ label = 'Enter quantity', max, onSubmit, onCancel }: QuantityFormProps) {
  const [value, setValue] = useState('');
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Empty or not a number becomes 0 or NaN, which the workflow refuses with what to type.
    onSubmit(value.trim() === '' ? 0 : Number(value));
  }
  return (
    <form className="floor-form" aria-label={label} onSubmit={submit} noValidate>
      <label className="field">
        <span className="field-label">Quantity</span>
        <input name="quantity" type="text" inputMode="numeric" autoComplete="off" autoFocus value={value} onChange={(e) => setValue(e.target.value)} />
      </label>
      {max !== undefined && <p className="floor-form-hint">1 to {max}</p>}
      <FormButtons submit="Confirm" onCancel={onCancel} />
    </form>
  );
}

export interface ReasonFormProps {
  /** The form's accessible name. */
  label: string;
  /** The question above the reasons. */
  title: string;
  reasons: readonly string[];
  /** A listed reason as pressed, or the typed one as it stands. */
  onReason: (reason: string) => void;
  onCancel: () => void;
}

/** Listed reasons one press each, or "Other reason" typed and used. */
export function ReasonForm({ label, title, reasons, onReason, onCancel }: ReasonFormProps) {
  const [other, setOther] = useState('');
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onReason(other);
  }
  return (
    <form className="floor-form" aria-label={label} onSubmit={submit} noValidate>
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
      <FormButtons submit="Use this reason" primary={false} onCancel={onCancel} />
    </form>
  );
}

export interface OtherBinFormProps {
  /** The code of the bin the workflow suggested, if any. */
  suggested: string | null | undefined;
  reasons: readonly string[];
  onReason: (reason: string) => void;
  onCancel: () => void;
}

/** Why the units go to another bin than the suggested one. */
export function OtherBinForm({ suggested, ...props }: OtherBinFormProps) {
  return <ReasonForm label="Other bin" title={`Why not ${suggested ?? 'the suggested bin'}?`} {...props} />;
}

export interface ChoiceFormProps<T> {
  /** The question, the group's accessible name. */
  title: string;
  choices: readonly { value: T; label: string }[];
  onChoose: (value: T) => void;
  onCancel: () => void;
  /** The label of the button that closes the form without a choice. */
  cancelLabel?: string;
}

/** One press picks one of the choices. */
export function ChoiceForm<T extends string>({ title, choices, onChoose, onCancel, cancelLabel = 'Cancel' }: ChoiceFormProps<T>) {
  return (
    <fieldset className="floor-form">
      <legend className="floor-form-legend">{title}</legend>
      <div className="floor-actions">
        {choices.map(({ value, label }) => (
          <button key={value} type="button" className="button button-primary" onClick={() => onChoose(value)}>
            {label}
          </button>
        ))}
        <button type="button" className="button" onClick={onCancel}>
          {cancelLabel}
        </button>
      </div>
    </fieldset>
  );
}

/** A form's submit button, then Cancel. */
export function FormButtons({ submit, primary = true, onCancel }: { submit: string; primary?: boolean; onCancel: () => void }) {
  return (
    <div className="floor-actions">
      <button type="submit" className={primary ? 'button button-primary' : 'button'}>
        {submit}
      </button>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
