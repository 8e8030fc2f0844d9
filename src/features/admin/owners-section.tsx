// Owners: each merchant the warehouse stores for, and the rules its receipts and packing follow.
import { useCallback, useState, type FormEvent } from 'react';
import type { Owner } from '../../domain/entities';
import { useAdminDeps } from './admin-context';
import { AdminTable, FormEnd, LoadState, type Notice, NoticeLine, useAdminLoad } from './admin-parts';

function OwnerForm({ owner, onDone }: { owner: Owner | null; onDone: (saved: Owner | null) => void }) {
  const { commands } = useAdminDeps();
  const [code, setCode] = useState('');
  const [name, setName] = useState(owner?.name ?? '');
  const [tolerance, setTolerance] = useState(String(owner?.overReceiptTolerancePct ?? 0));
  const [unexpected, setUnexpected] = useState(owner?.allowUnexpectedItems ?? false);
  const [typed, setTyped] = useState(owner?.packQuantityTyped ?? false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const settings = { name, overReceiptTolerancePct: Number(tolerance), allowUnexpectedItems: unexpected, packQuantityTyped: typed };
    setBusy(true);
    const result = owner ? await commands.editOwner(owner.id, settings) : await commands.addOwner({ code, ...settings });
    setBusy(false);
    if (result.ok) onDone(result.value);
    else setError(result.message);
  };

  return (
    <form className="admin-form" onSubmit={(event) => void submit(event)} aria-label={owner ? `Edit ${owner.code}` : 'Add owner'}>
      <h3>{owner ? `Edit ${owner.code}` : 'Add owner'}</h3>
      {!owner && (
        <label className="field">
          <span className="field-label">Code</span>
          <input value={code} onChange={(event) => setCode(event.target.value)} required maxLength={20} autoCapitalize="characters" />
        </label>
      )}
      <label className="field">
        <span className="field-label">Name</span>
        <input value={name} onChange={(event) => setName(event.target.value)} required maxLength={100} />
      </label>
      <label className="field">
        <span className="field-label">Over-receipt tolerance (%)</span>
        <input type="number" min={0} max={1000} step="any" value={tolerance} onChange={(event) => setTolerance(event.target.value)} required />
      </label>
      <label className="admin-check">
        <input type="checkbox" checked={unexpected} onChange={(event) => setUnexpected(event.target.checked)} />
        Allow unexpected items on receipts
      </label>
      <label className="admin-check">
        <input type="checkbox" checked={typed} onChange={(event) => setTyped(event.target.checked)} />
        Packers may type a quantity
      </label>
      <FormEnd error={error} submit="Save owner" busy={busy} onCancel={() => onDone(null)} />
    </form>
  );
}

export default function OwnersSection() {
  const { commands } = useAdminDeps();
  const load = useCallback(() => commands.listOwners(), [commands]);
  const { result, reload } = useAdminLoad(load);
  const [editing, setEditing] = useState<Owner | 'new' | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const done = async (saved: Owner | null) => {
    setEditing(null);
    if (!saved) return;
    setNotice({ ok: true, message: `${saved.code} saved. Devices have it at their next sync.` });
    await reload();
  };

  return (
    <>
      <h2>Owners</h2>
      <LoadState result={result} />
      {result?.ok && (
        <AdminTable
          caption="Owners"
          columns={[
            { header: 'Code', cell: (owner) => owner.code },
            { header: 'Name', cell: (owner) => owner.name },
            { header: 'Over-receipt tolerance', cell: (owner) => `${owner.overReceiptTolerancePct} %` },
            { header: 'Unexpected items', cell: (owner) => (owner.allowUnexpectedItems ? 'Allowed' : 'Refused') },
            { header: 'Typed pack quantity', cell: (owner) => (owner.packQuantityTyped ? 'Yes' : 'No') },
          ]}
          rows={result.value}
          rowKey={(owner) => owner.id}
          actions={(owner) => (
            <button type="button" className="button" onClick={() => setEditing(owner)} aria-label={`Edit ${owner.code}`}>
              Edit
            </button>
          )}
        />
      )}
      <NoticeLine notice={notice} />
      {editing && <OwnerForm key={editing === 'new' ? 'new' : editing.id} owner={editing === 'new' ? null : editing} onDone={(saved) => void done(saved)} />}
      {!editing && result?.ok && (
        <button type="button" className="button" onClick={() => setEditing('new')}>
          Add owner
        </button>
      )}
    </>
  );
}
