// Users: who signs in, with which role and for which owners. A new PIN is shown nowhere after it
// is typed; a deactivated user's sessions end at once. Every change is on the server's audit trail.
import { useCallback, useState, type FormEvent } from 'react';
import type { AdminUser } from '../../domain/admin';
import type { Owner, Role } from '../../domain/entities';
import { useAdminDeps } from './admin-context';
import { AdminTable, FormEnd, LoadState, type Notice, NoticeLine, ownerCodes, useAdminLoad } from './admin-parts';

const ROLES: { role: Role; label: string }[] = [
  { role: 'operator', label: 'Operator' },
  { role: 'supervisor', label: 'Supervisor' },
  { role: 'admin', label: 'Admin' },
];

/** Checkboxes for "every owner" or some of them; null: every owner. */
function OwnerChoice({ owners, value, onChange }: { owners: readonly Owner[]; value: string[] | null; onChange: (ids: string[] | null) => void }) {
  const every = value === null;
  return (
    <fieldset className="admin-fieldset">
      <legend className="field-label">Owners</legend>
      <label className="admin-check">
        <input type="checkbox" checked={every} onChange={(event) => onChange(event.target.checked ? null : [])} />
        Every owner
      </label>
      {!every &&
        owners.map((owner) => (
          <label key={owner.id} className="admin-check">
            <input
              type="checkbox"
              checked={value.includes(owner.id)}
              onChange={(event) => onChange(event.target.checked ? [...value, owner.id] : value.filter((id) => id !== owner.id))}
            />
            {owner.code} — {owner.name}
          </label>
        ))}
    </fieldset>
  );
}

function NewUserForm({ owners, onDone }: { owners: readonly Owner[]; onDone: (username: string | null) => void }) {
  const { commands } = useAdminDeps();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [pin, setPin] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [ownerIds, setOwnerIds] = useState<string[] | null>(owners.length === 1 ? [owners[0]!.id] : null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (ownerIds !== null && ownerIds.length === 0) return setError('Choose at least one owner, or every owner.');
    setBusy(true);
    const result = await commands.addUser({ username, displayName, pin, role, ownerIds });
    setBusy(false);
    if (result.ok) onDone(result.value.username);
    else setError(result.message);
  };

  return (
    <form className="admin-form" onSubmit={(event) => void submit(event)} aria-label="Add user">
      <h3>Add user</h3>
      <label className="field">
        <span className="field-label">Username</span>
        <input value={username} onChange={(event) => setUsername(event.target.value)} required minLength={2} maxLength={60} autoCapitalize="none" autoComplete="off" />
      </label>
      <label className="field">
        <span className="field-label">Name</span>
        <input value={displayName} onChange={(event) => setDisplayName(event.target.value)} required maxLength={100} />
      </label>
      <label className="field">
        <span className="field-label">PIN (4 to 8 digits)</span>
        <input type="password" inputMode="numeric" pattern="\d{4,8}" value={pin} onChange={(event) => setPin(event.target.value)} required autoComplete="new-password" />
      </label>
      <label className="field">
        <span className="field-label">Role</span>
        <select className="admin-select" value={role} onChange={(event) => setRole(event.target.value as Role)}>
          {ROLES.map((option) => (
            <option key={option.role} value={option.role}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
      <OwnerChoice owners={owners} value={ownerIds} onChange={setOwnerIds} />
      <FormEnd error={error} submit="Create user" busy={busy} onCancel={() => onDone(null)} />
    </form>
  );
}

type Editing = { kind: 'pin'; user: AdminUser } | { kind: 'owners'; user: AdminUser } | null;

function PinForm({ user, onDone }: { user: AdminUser; onDone: (notice: Notice | null) => void }) {
  const { commands } = useAdminDeps();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await commands.resetPin(user.id, pin);
    if (result.ok) onDone({ ok: true, message: `${user.username} has a new PIN. Tell them in person; it is not shown again.` });
    else setError(result.message);
  };
  return (
    <form className="admin-form" onSubmit={(event) => void submit(event)} aria-label={`New PIN for ${user.username}`}>
      <h3>New PIN for {user.username}</h3>
      <label className="field">
        <span className="field-label">New PIN (4 to 8 digits)</span>
        <input type="password" inputMode="numeric" pattern="\d{4,8}" value={pin} onChange={(event) => setPin(event.target.value)} required autoComplete="new-password" />
      </label>
      <FormEnd error={error} submit="Set PIN" onCancel={() => onDone(null)} />
    </form>
  );
}

function OwnersForm({ user, owners, onDone }: { user: AdminUser; owners: readonly Owner[]; onDone: (notice: Notice | null) => void }) {
  const { commands } = useAdminDeps();
  const [ownerIds, setOwnerIds] = useState<string[] | null>(user.ownerIds);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (ownerIds !== null && ownerIds.length === 0) return setError('Choose at least one owner, or every owner.');
    const result = await commands.setOwners(user.id, ownerIds);
    const who = ownerIds === null ? 'every owner' : ownerCodes(owners, ownerIds);
    if (result.ok) onDone({ ok: true, message: `${user.username} now works for ${who}. Their devices follow at the next sync.` });
    else setError(result.message);
  };
  return (
    <form className="admin-form" onSubmit={(event) => void submit(event)} aria-label={`Owners of ${user.username}`}>
      <h3>Owners of {user.username}</h3>
      <OwnerChoice owners={owners} value={ownerIds} onChange={setOwnerIds} />
      <FormEnd error={error} submit="Save owners" onCancel={() => onDone(null)} />
    </form>
  );
}

export default function UsersSection() {
  const { commands } = useAdminDeps();
  const loadUsers = useCallback(() => commands.listUsers(), [commands]);
  const loadOwners = useCallback(() => commands.listOwners(), [commands]);
  const { result, reload } = useAdminLoad(loadUsers);
  const owners = useAdminLoad(loadOwners).result;
  const ownerList = owners?.ok ? owners.value : [];
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<Editing>(null);
  const [notice, setNotice] = useState<Notice | null>(null);

  const finish = async (next: Notice | null) => {
    setEditing(null);
    setAdding(false);
    if (!next) return;
    setNotice(next);
    await reload();
  };

  const toggle = async (user: AdminUser) => {
    const result = await commands.setActive(user.id, !user.active);
    await finish(
      result.ok
        ? { ok: true, message: user.active ? `${user.username} is deactivated: signed out everywhere, and cannot sign in.` : `${user.username} can sign in again.` }
        : { ok: false, message: result.message },
    );
  };

  return (
    <>
      <h2>Users</h2>
      <LoadState result={result} />
      {result?.ok && (
        <AdminTable
          caption="Users"
          columns={[
            { header: 'Username', cell: (user) => user.username },
            { header: 'Name', cell: (user) => user.displayName },
            { header: 'Role', cell: (user) => ROLES.find((option) => option.role === user.role)?.label ?? user.role },
            { header: 'Owners', cell: (user) => ownerCodes(ownerList, user.ownerIds) },
            { header: 'Status', cell: (user) => (user.active ? 'Active' : 'Deactivated') },
          ]}
          rows={result.value}
          rowKey={(user) => user.id}
          rowClass={(user) => (user.active ? undefined : 'admin-row-off')}
          actions={(user) => (
            <>
              <button type="button" className="button" onClick={() => setEditing({ kind: 'pin', user })} aria-label={`Reset PIN of ${user.username}`}>
                Reset PIN
              </button>
              <button type="button" className="button" onClick={() => setEditing({ kind: 'owners', user })} aria-label={`Owners of ${user.username}`}>
                Owners
              </button>
              <button type="button" className="button" onClick={() => void toggle(user)} aria-label={`${user.active ? 'Deactivate' : 'Reactivate'} ${user.username}`}>
                {user.active ? 'Deactivate' : 'Reactivate'}
              </button>
            </>
          )}
        />
      )}
      <NoticeLine notice={notice} />
      {editing?.kind === 'pin' && <PinForm key={editing.user.id} user={editing.user} onDone={(next) => void finish(next)} />}
      {editing?.kind === 'owners' && <OwnersForm key={editing.user.id} user={editing.user} owners={ownerList} onDone={(next) => void finish(next)} />}
      {!editing && adding && <NewUserForm owners={ownerList} onDone={(username) => void finish(username ? { ok: true, message: `${username} created.` } : null)} />}
      {!editing && !adding && result?.ok && (
        <button type="button" className="button" onClick={() => setAdding(true)}>
          Add user
        </button>
      )}
    </>
  );
}
