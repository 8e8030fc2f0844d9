// Pieces every admin section uses: loading a list from the server, the answer to an action, the
// owner picker, and the table of a refused CSV file's rows.
import { useCallback, useEffect, useId, useState } from 'react';
import type { ReactNode } from 'react';
import type { Owner } from '../../domain/entities';
import type { CsvRowProblem } from '../../domain/admin';
import type { AdminResult } from './commands';

/** What `load` answered, null while the first answer is on its way; `reload` asks again. */
export function useAdminLoad<T>(load: () => Promise<AdminResult<T>>): { result: AdminResult<T> | null; reload: () => Promise<void> } {
  const [result, setResult] = useState<AdminResult<T> | null>(null);
  useEffect(() => {
    let current = true;
    void load().then((answer) => {
      if (current) setResult(answer);
    });
    return () => {
      current = false;
    };
  }, [load]);
  const reload = useCallback(async () => setResult(await load()), [load]);
  return { result, reload };
}

/** The answer to the last action in a section: said once, in words. */
export interface Notice {
  ok: boolean;
  message: string;
}

export function NoticeLine({ notice }: { notice: Notice | null }) {
  if (!notice) return null;
  return notice.ok ? (
    <p className="admin-notice admin-notice-ok" aria-live="polite">
      {notice.message}
    </p>
  ) : (
    <p className="admin-notice admin-notice-bad" role="alert">
      {notice.message}
    </p>
  );
}

/** A list that could not be loaded, or "Loading…". */
export function LoadState({ result }: { result: AdminResult<unknown> | null }) {
  if (!result) return <p className="loading">Loading…</p>;
  if (!result.ok) {
    return (
      <p className="admin-notice admin-notice-bad" role="alert">
        {result.message}
      </p>
    );
  }
  return null;
}

export function OwnerSelect({ owners, value, onChange, label = 'Owner' }: { owners: readonly Owner[]; value: string; onChange: (id: string) => void; label?: string }) {
  const id = useId();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select id={id} className="admin-select" value={value} onChange={(event) => onChange(event.target.value)}>
        {owners.map((owner) => (
          <option key={owner.id} value={owner.id}>
            {owner.code} — {owner.name}
          </option>
        ))}
      </select>
    </div>
  );
}

/** The owner codes of `ids` (null: every owner), as the tables show them. */
export function ownerCodes(owners: readonly Owner[], ids: readonly string[] | null): string {
  if (ids === null) return 'Every owner';
  return ids.map((id) => owners.find((owner) => owner.id === id)?.code ?? id).join(', ');
}

/** A form's end: what went wrong with the last try, then its submit button and Cancel. */
export function FormEnd({ error, submit, busy = false, onCancel }: { error: string | null; submit: string; busy?: boolean; onCancel: () => void }) {
  return (
    <>
      {error && (
        <p className="admin-notice admin-notice-bad" role="alert">
          {error}
        </p>
      )}
      <div className="admin-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {submit}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}

/** One column of an admin table: its header and what a row shows in it. */
export interface AdminColumn<T> {
  header: string;
  cell: (row: T) => ReactNode;
  className?: string;
}

/**
 * The console's one table: a caption (for screen readers only unless `captionShown`), a header
 * row, a row per record, and the row's actions in a last column without a visible header.
 */
export function AdminTable<T>({ caption, captionShown = false, columns, rows, rowKey, rowClass, actions }: {
  caption: ReactNode;
  captionShown?: boolean;
  columns: readonly AdminColumn<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  rowClass?: (row: T) => string | undefined;
  actions?: (row: T) => ReactNode;
}) {
  return (
    <div className="admin-table-wrap">
      <table className="admin-table">
        <caption className={captionShown ? undefined : 'visually-hidden'}>{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col">
                {column.header}
              </th>
            ))}
            {actions && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} className={rowClass?.(row)}>
              {columns.map((column) => (
                <td key={column.header} className={column.className}>
                  {column.cell(row)}
                </td>
              ))}
              {actions && (
                <td>
                  <div className="admin-cell-actions">{actions(row)}</div>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const CSV_PROBLEM_COLUMNS: readonly AdminColumn<CsvRowProblem>[] = [
  { header: 'Line', cell: (problem) => problem.line },
  { header: 'Column', cell: (problem) => problem.column ?? '—' },
  { header: 'Problem', cell: (problem) => problem.message },
];

/** A refused file's rows: line, column and what is wrong, as the server listed them. */
export function CsvProblems({ problems, count }: { problems: readonly CsvRowProblem[]; count: number }) {
  return (
    <>
      <AdminTable
        caption={`Rows refused: ${count}. Nothing was imported; fix these and upload the file again.`}
        captionShown
        columns={CSV_PROBLEM_COLUMNS}
        rows={problems}
        rowKey={(problem) => `${problem.line}-${problem.column ?? ''}-${problem.message}`}
      />
      {count > problems.length && <p>{count - problems.length} more not listed.</p>}
    </>
  );
}

/** Whole minutes since `iso`, as "6 min" or "2 h 5 min". */
export function ago(iso: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${rest} min`;
}

/** A date and time as the desk reads it: "2026-12-06 14:05". */
export const when = (iso: string): string => {
  const date = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
};
