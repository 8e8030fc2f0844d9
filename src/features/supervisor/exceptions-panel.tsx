// Exceptions: what needs a person — short picks, scans the server rejected, orders on hold or
// backordered, orders cancelled or changed after picking, store notices failing — each with the
// action that resolves it and, once resolved, who did.
import { useState } from 'react';
import type { ExceptionAction, ExceptionKind, FloorException } from '../../domain/supervisor-floor';
import type { FloorResult } from './commands';
import { useFloorData } from './floor-data';
import { ago, at, words } from './floor-format';
import { FloorStatus } from './floor-status';
import { PickListDetailView } from './pick-list-detail';
import { useSupervisorDeps } from './supervisor-context';

/** A short pick, a rejection, an order held or released. */
const EXCEPTION_EVENTS = ['mutation-applied', 'mutation-rejected', 'order-status'] as const;

const KIND_TITLES: Record<ExceptionKind, string> = {
  short_pick: 'Short pick',
  rejected_mutation: 'Scan rejected',
  order_on_hold: 'Order on hold',
  order_backordered: 'Order backordered',
  cancelled_after_pick: 'Cancelled after picking',
  changed_after_pick: 'Changed after picking',
  short_packed: 'Closed short',
  notice_failing: 'Store not told of shipment',
};

/** What each kind asks of a person, when it is not in its action's name. */
const KIND_HINTS: Partial<Record<ExceptionKind, string>> = {
  short_pick: 'Count the bin, correct its stock, then mark it counted.',
  rejected_mutation: 'It waits under Needs attention on the device. Help the picker, then mark it handled.',
  order_backordered: 'Waits for stock: it is allocated once stock arrives.',
  cancelled_after_pick: 'Put the picked units back to stock, then mark it handled.',
  changed_after_pick: 'Bring the picked units in line with the order, then mark it handled.',
};

const ACTION_LABELS: Record<ExceptionAction, string> = {
  release: 'Release',
  retry: 'Retry',
  reassign: 'Reassign list',
  'mark-counted': 'Mark counted',
  'mark-handled': 'Mark handled',
};

/** The exception's subject in a few words, for its heading and its buttons' names. */
function subject(e: FloorException): string {
  if (e.orderNumber && e.kind !== 'short_pick') return `order ${e.orderNumber}`;
  if (e.binCode && e.sku) return `${e.sku} at ${e.binCode}`;
  return e.pickListNumber ?? e.deviceId ?? e.ref;
}

function details(e: FloorException): string[] {
  const out: string[] = [];
  if (e.kind === 'short_pick') out.push(`${e.qty ?? '?'} short (${words(e.reason ?? 'no reason')}) on ${e.pickListNumber ?? 'a list'}${e.orderNumber ? `, order ${e.orderNumber}` : ''}`);
  else if (e.kind === 'rejected_mutation') out.push(`${e.reason ?? 'Rejected'}${e.message ? `: ${e.message}` : ''}${e.pickListNumber ? ` (${e.pickListNumber})` : ''}`);
  else if (e.kind === 'notice_failing') out.push(`Last answer ${e.reason === 'NO_ANSWER' ? 'none' : e.reason?.replace('HTTP_', 'HTTP ')}${e.message ? `: ${e.message}` : ''}`);
  else if (e.reason) out.push(words(e.reason));
  if (e.userName || e.deviceId) out.push(`By ${e.userName ?? 'someone'}${e.deviceId ? ` on ${e.deviceId}` : ''}`);
  return out;
}

function ExceptionEntry({ e, now, onDone }: { e: FloorException; now: number; onDone: () => Promise<void> }) {
  const { commands } = useSupervisorDeps();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [reassigning, setReassigning] = useState(false);

  const run = async (action: ExceptionAction) => {
    if (action === 'reassign') return setReassigning(true);
    setBusy(true);
    let result: FloorResult<unknown>;
    if (action === 'release') result = await commands.releaseOrder(e.orderId ?? e.ref);
    else if (action === 'retry') result = await commands.retryNotice(e.ref);
    else result = await commands.resolveException({ kind: e.kind as 'short_pick' | 'rejected_mutation' | 'cancelled_after_pick' | 'changed_after_pick', ref: e.ref });
    setBusy(false);
    setFailure(result.ok ? null : result.message);
    if (result.ok) await onDone();
  };

  const name = subject(e);
  return (
    <li className={`exception ${e.resolved && e.kind !== 'notice_failing' ? 'exception-resolved' : ''}`}>
      <p className="exception-title">
        <strong>{KIND_TITLES[e.kind]}</strong>: {name} <span className="muted">{ago(e.at, now)} ago</span>
      </p>
      {details(e).map((line) => (
        <p key={line}>{line}</p>
      ))}
      {!e.resolved && KIND_HINTS[e.kind] && <p className="muted">{KIND_HINTS[e.kind]}</p>}
      {e.resolved && (
        <p className="exception-who">
          {e.kind === 'notice_failing' ? 'Retried' : 'Resolved'} by {e.resolved.by ?? 'someone'} at {at(e.resolved.at)}
        </p>
      )}
      {e.actions.length > 0 && (
        <div className="supervisor-actions">
          {e.actions.map((action) => (
            <button key={action} type="button" className="button" disabled={busy} onClick={() => void run(action)}>
              {ACTION_LABELS[action]} <span className="visually-hidden">{name}</span>
            </button>
          ))}
        </div>
      )}
      {failure && <p role="alert">{failure}</p>}
      {reassigning && e.pickListId && <PickListDetailView id={e.pickListId} onClose={() => setReassigning(false)} onChanged={onDone} />}
    </li>
  );
}

export function ExceptionsPanel() {
  const { commands } = useSupervisorDeps();
  const state = useFloorData(() => commands.loadExceptions(), 'exceptions', EXCEPTION_EVENTS);
  const exceptions = state.data?.value.exceptions ?? [];
  const open = exceptions.filter((e) => e.actions.length > 0 || (!e.resolved && e.kind !== 'order_backordered')).length;
  return (
    <div className="floor-panel">
      <FloorStatus state={state} what="the exceptions" />
      {state.data && (
        <p className="lead">
          {exceptions.length === 0 ? 'Nothing needs a supervisor.' : `${open === 0 ? 'Nothing left' : open} to resolve; resolved ones stay listed for a day.`}
        </p>
      )}
      {exceptions.length > 0 && (
        <ul className="exception-list" aria-label="Exceptions">
          {exceptions.map((e) => (
            <ExceptionEntry key={e.id} e={e} now={state.data!.at} onDone={state.refresh} />
          ))}
        </ul>
      )}
    </div>
  );
}
