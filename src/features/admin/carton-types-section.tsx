// Carton types: the boxes a packer chooses from, per owner. Pack stations have changes at their
// next sync; a box cartons were packed in cannot be removed (the server says so).
import { useCallback, useState, type FormEvent } from 'react';
import type { CartonType, Owner } from '../../domain/entities';
import { useAdminDeps } from './admin-context';
import { AdminTable, FormEnd, LoadState, type Notice, NoticeLine, OwnerSelect, useAdminLoad } from './admin-parts';

function CartonTypeForm({ ownerId, cartonType, onDone }: { ownerId: string; cartonType: CartonType | null; onDone: (saved: CartonType | null) => void }) {
  const { commands } = useAdminDeps();
  const [fields, setFields] = useState({
    code: cartonType?.code ?? '',
    name: cartonType?.name ?? '',
    lengthMm: String(cartonType?.lengthMm ?? ''),
    widthMm: String(cartonType?.widthMm ?? ''),
    heightMm: String(cartonType?.heightMm ?? ''),
    maxWeightGrams: cartonType?.maxWeightGrams == null ? '' : String(cartonType.maxWeightGrams),
  });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (key: keyof typeof fields) => (event: { target: { value: string } }) => setFields({ ...fields, [key]: event.target.value });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await commands.saveCartonType(cartonType?.id ?? null, {
      ownerId,
      code: fields.code,
      name: fields.name,
      lengthMm: Number(fields.lengthMm),
      widthMm: Number(fields.widthMm),
      heightMm: Number(fields.heightMm),
      maxWeightGrams: fields.maxWeightGrams.trim() === '' ? null : Number(fields.maxWeightGrams),
    });
    setBusy(false);
    if (result.ok) onDone(result.value);
    else setError(result.message);
  };

  const number = (key: 'lengthMm' | 'widthMm' | 'heightMm' | 'maxWeightGrams', label: string, required = true) => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input type="number" inputMode="numeric" min={1} step={1} value={fields[key]} onChange={set(key)} required={required} />
    </label>
  );

  return (
    <form className="admin-form" onSubmit={(event) => void submit(event)} aria-label={cartonType ? `Edit ${cartonType.code}` : 'Add carton type'}>
      <h3>{cartonType ? `Edit ${cartonType.code}` : 'Add carton type'}</h3>
      <label className="field">
        <span className="field-label">Code</span>
        <input value={fields.code} onChange={set('code')} required maxLength={40} autoCapitalize="characters" />
      </label>
      <label className="field">
        <span className="field-label">Name</span>
        <input value={fields.name} onChange={set('name')} required maxLength={100} />
      </label>
      <div className="admin-row">
        {number('lengthMm', 'Length (mm)')}
        {number('widthMm', 'Width (mm)')}
        {number('heightMm', 'Height (mm)')}
        {number('maxWeightGrams', 'Max weight (g, optional)', false)}
      </div>
      <FormEnd error={error} submit="Save carton type" busy={busy} onCancel={() => onDone(null)} />
    </form>
  );
}

function OwnerCartonTypes({ owner }: { owner: Owner }) {
  const { commands } = useAdminDeps();
  const load = useCallback(() => commands.listCartonTypes(owner.id), [commands, owner.id]);
  const { result, reload } = useAdminLoad(load);
  const [editing, setEditing] = useState<CartonType | 'new' | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const done = async (saved: CartonType | null) => {
    setEditing(null);
    if (!saved) return;
    setNotice({ ok: true, message: `${saved.code} saved. Pack stations have it at their next sync.` });
    await reload();
  };

  const remove = async (cartonType: CartonType) => {
    const removed = await commands.removeCartonType(cartonType.id);
    setNotice(removed.ok ? { ok: true, message: `${cartonType.code} removed.` } : { ok: false, message: `${cartonType.code}: ${removed.message}` });
    if (removed.ok) await reload();
  };

  return (
    <>
      <LoadState result={result} />
      {result?.ok && result.value.length === 0 && <p>{owner.code} has no carton types yet: packers close cartons without choosing a box.</p>}
      {result?.ok && result.value.length > 0 && (
        <AdminTable
          caption={`Carton types of ${owner.code}`}
          captionShown
          columns={[
            { header: 'Code', cell: (cartonType) => cartonType.code },
            { header: 'Name', cell: (cartonType) => cartonType.name },
            { header: 'Size (L × W × H mm)', cell: (cartonType) => `${cartonType.lengthMm} × ${cartonType.widthMm} × ${cartonType.heightMm}` },
            { header: 'Max weight', cell: (cartonType) => (cartonType.maxWeightGrams === null ? '—' : `${cartonType.maxWeightGrams} g`) },
          ]}
          rows={result.value}
          rowKey={(cartonType) => cartonType.id}
          actions={(cartonType) => (
            <>
              <button type="button" className="button" onClick={() => setEditing(cartonType)} aria-label={`Edit ${cartonType.code}`}>
                Edit
              </button>
              <button type="button" className="button" onClick={() => void remove(cartonType)} aria-label={`Remove ${cartonType.code}`}>
                Remove
              </button>
            </>
          )}
        />
      )}
      <NoticeLine notice={notice} />
      {editing ? (
        <CartonTypeForm key={editing === 'new' ? 'new' : editing.id} ownerId={owner.id} cartonType={editing === 'new' ? null : editing} onDone={(saved) => void done(saved)} />
      ) : (
        <button type="button" className="button" onClick={() => setEditing('new')}>
          Add carton type
        </button>
      )}
    </>
  );
}

export default function CartonTypesSection() {
  const { commands } = useAdminDeps();
  const load = useCallback(() => commands.listOwners(), [commands]);
  const { result } = useAdminLoad(load);
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const owners = result?.ok ? result.value : [];
  const owner = owners.find((candidate) => candidate.id === ownerId) ?? owners[0];

  return (
    <>
      <h2>Carton types</h2>
      <LoadState result={result} />
      {owner && (
        <>
          <OwnerSelect owners={owners} value={owner.id} onChange={setOwnerId} />
          <OwnerCartonTypes key={owner.id} owner={owner} />
        </>
      )}
    </>
  );
}
