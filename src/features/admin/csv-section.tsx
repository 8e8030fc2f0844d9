// CSV imports and exports: a file uploaded as one all-or-nothing import, whose refused rows the
// server lists (line, column, problem) in a table; stock and the ledger downloaded as CSV.
import { useCallback, useId, useRef, useState, type FormEvent } from 'react';
import { useAdminDeps } from './admin-context';
import { CsvProblems, LoadState, NoticeLine, OwnerSelect, useAdminLoad, type Notice } from './admin-parts';
import type { AdminResult, ExportKind, ImportKind, ImportSummary } from './commands';

const IMPORTS: { kind: ImportKind; label: string; perOwner: boolean }[] = [
  { kind: 'products', label: 'Products of the owner', perOwner: true },
  { kind: 'orders', label: 'Orders of the owner', perOwner: true },
  { kind: 'bins', label: 'Bins (every owner’s bin map)', perOwner: false },
  { kind: 'users', label: 'Users (owners named in the file)', perOwner: false },
];

/** Hands `blob` to the browser as a download named `name`. */
function saveFile(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The click has started the download; the URL may go once it has been read.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export default function CsvSection() {
  const { commands } = useAdminDeps();
  const load = useCallback(() => commands.listOwners(), [commands]);
  const { result } = useAdminLoad(load);
  const owners = result?.ok ? result.value : [];
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const owner = owners.find((candidate) => candidate.id === ownerId) ?? owners[0];
  const [kind, setKind] = useState<ImportKind>('products');
  const [answer, setAnswer] = useState<AdminResult<ImportSummary> | null>(null);
  const [busy, setBusy] = useState(false);
  const [exported, setExported] = useState<Notice | null>(null);
  const file = useRef<HTMLInputElement>(null);
  const fileId = useId();
  const kindId = useId();

  const upload = async (event: FormEvent) => {
    event.preventDefault();
    const chosen = file.current?.files?.[0];
    if (!chosen || !owner) return setAnswer({ ok: false, message: 'Choose a CSV file first.' });
    setBusy(true);
    setAnswer(null);
    setAnswer(await commands.importCsv(kind, owner.code, chosen));
    setBusy(false);
  };

  const download = async (what: ExportKind) => {
    if (!owner) return;
    setExported(null);
    const blob = await commands.exportCsv(what, owner.code);
    if (!blob.ok) return setExported({ ok: false, message: blob.message });
    const name = `${what}-${owner.code}-${new Date().toISOString().slice(0, 10)}.csv`;
    saveFile(blob.value, name);
    setExported({ ok: true, message: `${name} downloaded.` });
  };

  const chosenImport = IMPORTS.find((option) => option.kind === kind)!;
  return (
    <>
      <h2>Imports and exports</h2>
      <LoadState result={result} />
      {owner && (
        <>
          <OwnerSelect owners={owners} value={owner.id} onChange={setOwnerId} />
          <form className="admin-form" onSubmit={(event) => void upload(event)} aria-label="Import a CSV file">
            <h3>Import a CSV file</h3>
            <div className="field">
              <label className="field-label" htmlFor={kindId}>
                What the file holds
              </label>
              <select id={kindId} className="admin-select" value={kind} onChange={(event) => setKind(event.target.value as ImportKind)}>
                {IMPORTS.map((option) => (
                  <option key={option.kind} value={option.kind}>
                    {option.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label className="field-label" htmlFor={fileId}>
                CSV file
              </label>
              <input id={fileId} ref={file} className="admin-file" type="file" accept=".csv,.txt,text/csv" onChange={() => setAnswer(null)} />
            </div>
            <p className="admin-hint">
              All or nothing: if any row is wrong, nothing is imported.{chosenImport.perOwner ? ` Imported for ${owner.code}.` : ''}
            </p>
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? 'Uploading…' : 'Upload'}
            </button>
          </form>
          {answer?.ok && <NoticeLine notice={{ ok: true, message: `Imported. ${answer.value.summary}.` }} />}
          {answer && !answer.ok && (
            <>
              <NoticeLine notice={{ ok: false, message: answer.message }} />
              {answer.problems && <CsvProblems problems={answer.problems} count={answer.problemCount ?? answer.problems.length} />}
            </>
          )}
          <section className="admin-form" aria-label="Exports">
            <h3>Exports of {owner.code}</h3>
            <div className="admin-actions">
              <button type="button" className="button" onClick={() => void download('stock')}>
                Download stock CSV
              </button>
              <button type="button" className="button" onClick={() => void download('ledger')}>
                Download ledger CSV
              </button>
            </div>
            <NoticeLine notice={exported} />
          </section>
        </>
      )}
    </>
  );
}
