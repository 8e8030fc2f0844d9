// One pick list opened: its lines (bin, SKU, picked, short and why), every scan on it with who,
// which device and when, and who it is assigned to, which a supervisor may change.
import { useEffect, useId, useRef, useState } from 'react';
import { useFloorData } from './floor-data';
import { at, words } from './floor-format';
import { FloorStatus } from './floor-status';
import { useSupervisorDeps } from './supervisor-context';

/** A scan applied or rejected: a line or the scans change. */
const SCAN_EVENTS = ['mutation-applied', 'mutation-rejected'] as const;

const SCAN_LABELS: Record<string, string> = { pick: 'Pick', unpick: 'Undo', 'short-pick': 'Short' };

function Reassign({ listId, assignedUserId, onChanged }: { listId: string; assignedUserId: string | null; onChanged: () => Promise<void> }) {
  const { commands } = useSupervisorDeps();
  const users = useFloorData(() => commands.loadAssignableUsers(), 'users', [], { poll: false });
  const [choice, setChoice] = useState(assignedUserId ?? '');
  const [outcome, setOutcome] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const assign = async () => {
    setBusy(true);
    const result = await commands.assignPickList(listId, choice || null);
    setOutcome(result.ok ? 'Assigned.' : result.message);
    setBusy(false);
    if (result.ok) await onChanged();
  };

  return (
    <div className="floor-filters">
      <label htmlFor={id}>Assign to</label>
      <select id={id} value={choice} onChange={(e) => setChoice(e.target.value)}>
        <option value="">Anyone of the owner</option>
        {users.data?.value.users.map((user) => (
          <option key={user.id} value={user.id}>
            {user.displayName}
          </option>
        ))}
      </select>
      <button type="button" className="button" disabled={busy || choice === (assignedUserId ?? '')} onClick={() => void assign()}>
        Assign
      </button>
      {outcome && <p role="status">{outcome}</p>}
    </div>
  );
}

export function PickListDetailView({ id, onClose, onChanged }: { id: string; onClose: () => void; onChanged: () => Promise<void> }) {
  const { commands } = useSupervisorDeps();
  const state = useFloorData(() => commands.loadPickList(id), id, SCAN_EVENTS);
  const heading = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const detail = state.data?.value;
  const bins = new Map(detail?.lines.map((line) => [line.id, `${line.binCode} ${line.sku}`]));

  // Opened from a card below: the reader is taken to it.
  useEffect(() => headingRef.current?.focus(), [id]);

  const changed = async () => {
    await Promise.all([state.refresh(), onChanged()]);
  };

  return (
    <section className="pick-detail" aria-labelledby={heading}>
      <div className="pick-detail-head">
        <h3 id={heading} ref={headingRef} tabIndex={-1}>
          {detail ? `${detail.list.number} (${detail.list.ownerCode}, ${words(detail.list.status)})` : 'Pick list'}
        </h3>
        <button type="button" className="button" onClick={onClose}>
          Close
        </button>
      </div>
      <FloorStatus state={state} what="this list" />
      {detail && (
        <>
          {detail.list.status !== 'done' && detail.list.status !== 'cancelled' && (
            <Reassign key={detail.list.assignedUserId ?? ''} listId={id} assignedUserId={detail.list.assignedUserId} onChanged={changed} />
          )}
          <h4>Lines</h4>
          <div className="table-scroll" role="region" aria-label={`Lines of ${detail.list.number}`} tabIndex={0}>
            <table className="supervisor-table">
              <thead>
                <tr>
                  <th scope="col">Bin</th>
                  <th scope="col">SKU</th>
                  <th scope="col">Qty</th>
                  <th scope="col">Picked</th>
                  <th scope="col">Short</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {detail.lines.map((line) => (
                  <tr key={line.id}>
                    <td>{line.binCode}</td>
                    <td>
                      {line.sku} <span className="muted">{line.productName}</span>
                    </td>
                    <td>{line.qty}</td>
                    <td>{line.pickedQty}</td>
                    <td>{line.shortQty > 0 ? `${line.shortQty} (${words(line.shortReason ?? 'no reason')})` : '–'}</td>
                    <td>{words(line.status)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h4>Scans</h4>
          {detail.scans.length === 0 ? (
            <p>Nothing scanned on this list yet.</p>
          ) : (
            <div className="table-scroll" role="region" aria-label={`Scans on ${detail.list.number}`} tabIndex={0}>
              <table className="supervisor-table">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">Who</th>
                    <th scope="col">Device</th>
                    <th scope="col">What</th>
                    <th scope="col">Line</th>
                    <th scope="col">Outcome</th>
                  </tr>
                </thead>
                <tbody>
                  {detail.scans.map((scan) => (
                    <tr key={scan.mutationId} className={scan.status === 'rejected' ? 'scan-rejected' : undefined}>
                      <td>{at(scan.at)}</td>
                      <td>{scan.userName}</td>
                      <td>{scan.deviceId}</td>
                      <td>
                        {SCAN_LABELS[scan.type] ?? scan.type} {scan.qty ?? ''}
                      </td>
                      <td>{bins.get(scan.pickLineId) ?? scan.pickLineId}</td>
                      <td>{scan.status === 'applied' ? 'Applied' : `Rejected: ${scan.code ?? ''}${scan.message ? ` – ${scan.message}` : ''}`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
