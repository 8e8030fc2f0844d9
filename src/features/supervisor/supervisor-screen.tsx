// The supervisor screen (/supervisor): the floor in four tabs — waves and pick lists with their
// progress, pickers' rates, exceptions with the actions that resolve them (and override codes for
// packers closing a carton short, docs/orders.md "Short shipments"), and devices holding unsent
// work (docs/protocol.md "What the supervisor sees"). Online only; each tab reloads on the live
// feed's events (./floor-data.ts), and says so when it is paused.
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useSyncStatus } from '../../sync/status-store';
import { clockTime } from '../../ui/sync-status';
import { OVERRIDE_CODES_OFFLINE, OVERRIDE_CODES_PER_REQUEST, type OverrideCodesResult } from './commands';
import { DevicesPanel } from './devices-panel';
import { ExceptionsPanel } from './exceptions-panel';
import { useFloorFeed } from './floor-data';
import { LiveStatus } from './live-status';
import { PickListsPanel } from './pick-lists-panel';
import { PickersPanel } from './pickers-panel';
import { useSupervisorDeps } from './supervisor-context';
import './supervisor.css';

export interface SupervisorScreenProps {
  /** The workflow's label, for the heading. */
  title?: string;
}

const TABS = [
  { id: 'lists', label: 'Waves & pick lists' },
  { id: 'pickers', label: 'Pickers' },
  { id: 'exceptions', label: 'Exceptions' },
  { id: 'devices', label: 'Devices' },
] as const;
type TabId = (typeof TABS)[number]['id'];

const isTab = (value: string | null): value is TabId => TABS.some((tab) => tab.id === value);

/** Codes shown until the screen closes: they are never stored on this device. */
function OverrideCodesSection() {
  const { commands } = useSupervisorDeps();
  const online = useSyncStatus((s) => s.online);
  const [result, setResult] = useState<OverrideCodesResult | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useId();

  const getCodes = async () => {
    setBusy(true);
    setResult(await commands.getOverrideCodes(OVERRIDE_CODES_PER_REQUEST));
    setBusy(false);
  };

  return (
    <section className="override-codes" aria-labelledby={heading}>
      <h2 id={heading}>Override codes</h2>
      {!online && <p className="lead">{OVERRIDE_CODES_OFFLINE}</p>}
      <button type="button" className="button" onClick={() => void getCodes()} disabled={!online || busy}>
        Get {OVERRIDE_CODES_PER_REQUEST} override codes
      </button>
      {result?.ok && (
        <>
          <ul className="override-code-list" aria-label="Override codes">
            {result.codes.map((code) => (
              <li key={code} className="override-code">
                {code}
              </li>
            ))}
          </ul>
          <p>Valid until {clockTime(Date.parse(result.expiresAt))}, each works once: give one to a packer closing a carton short.</p>
        </>
      )}
      {result && !result.ok && (
        <p className="lead" role="alert">
          {result.message}
        </p>
      )}
    </section>
  );
}

export default function SupervisorScreen({ title = 'Supervisor' }: SupervisorScreenProps) {
  const [params, setParams] = useSearchParams();
  const wanted = params.get('tab');
  const current: TabId = isTab(wanted) ? wanted : 'lists';
  const online = useSyncStatus((s) => s.online);
  const base = useId();
  const tabs = useRef(new Map<TabId, HTMLButtonElement>());
  const feed = useFloorFeed();

  const select = (tab: TabId, focus = false) => {
    setParams(tab === 'lists' ? {} : { tab }, { replace: true });
    if (focus) tabs.current.get(tab)?.focus();
  };
  // Arrow keys move along the tabs, Home and End to either end (WAI-ARIA tabs pattern).
  const onKeyDown = (event: KeyboardEvent) => {
    const index = TABS.findIndex((tab) => tab.id === current);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: TABS.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    select(TABS[(next + TABS.length) % TABS.length]!.id, true);
  };

  return (
    <section className="screen supervisor-screen">
      <div className="supervisor-head">
        <h1>{title}</h1>
        {online && <LiveStatus feed={feed} />}
      </div>
      {!online && (
        <p className="floor-warning floor-offline" role="alert">
          Offline: the supervisor screens show the server’s figures. Connect this device to the network; what is shown below is not current.
        </p>
      )}
      <div className="floor-tabs" role="tablist" aria-label="Supervisor views" onKeyDown={onKeyDown}>
        {TABS.map((tab) => (
          <button
            key={tab.id}
            ref={(element) => {
              if (element) tabs.current.set(tab.id, element);
            }}
            type="button"
            role="tab"
            id={`${base}-tab-${tab.id}`}
            aria-selected={tab.id === current}
            aria-controls={`${base}-panel`}
            tabIndex={tab.id === current ? 0 : -1}
            className="floor-tab"
            onClick={() => select(tab.id)}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-tab-${current}`} className="floor-tabpanel">
        <h2 className="visually-hidden">{TABS.find((tab) => tab.id === current)!.label}</h2>
        {current === 'lists' && <PickListsPanel />}
        {current === 'pickers' && <PickersPanel />}
        {current === 'exceptions' && (
          <>
            <ExceptionsPanel />
            <OverrideCodesSection />
          </>
        )}
        {current === 'devices' && <DevicesPanel />}
      </div>
      <div className="supervisor-actions">
        <Link className="button" to="/">
          Back to home
        </Link>
      </div>
    </section>
  );
}
