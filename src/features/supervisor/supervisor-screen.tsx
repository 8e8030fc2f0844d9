// The supervisor screen (/supervisor): devices holding unsent work, stuck ones first and flagged,
// from the server's overview (docs/protocol.md "What the supervisor sees"); and override codes to
// hand to packers closing a carton short (docs/orders.md "Short shipments").
import { useEffect, useId, useState } from 'react';
import { Link } from 'react-router';
import type { DeviceHealth } from '../../domain/device-health';
import { useSyncStatus } from '../../sync/status-store';
import { clockTime } from '../../ui/sync-status';
import { OVERRIDE_CODES_OFFLINE, OVERRIDE_CODES_PER_REQUEST, type DevicesResult, type OverrideCodesResult } from './commands';
import { useSupervisorDeps } from './supervisor-context';
import './supervisor.css';

export interface SupervisorScreenProps {
  /** The workflow's label, for the heading. */
  title?: string;
}

type Loaded = { result: DevicesResult; at: number } | null;

/** Whole minutes between two ISO / epoch times, as "6 min" or "2 h 5 min". */
function ago(fromIso: string, now: number): string {
  const minutes = Math.max(0, Math.floor((now - Date.parse(fromIso)) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest === 0 ? `${Math.floor(minutes / 60)} h` : `${Math.floor(minutes / 60)} h ${rest} min`;
}

const at = (iso: string) => clockTime(Date.parse(iso));

/** Holds work the server has not got, or cannot push it. */
const needsLooking = (device: DeviceHealth) => device.stuck || (device.pendingCount ?? 0) > 0 || device.pushFailingSince !== null;

function DeviceEntry({ device, now }: { device: DeviceHealth; now: number }) {
  const pending = device.pendingCount ?? 0;
  return (
    <li className={`device ${device.stuck ? 'device-stuck' : ''}`}>
      <p className="device-name">
        <strong>{device.userName ?? 'Nobody signed in'}</strong> <span className="device-id">{device.id}</span>
        {device.stuck && (
          <>
            {' '}
            <span className="device-flag">Stuck</span>
          </>
        )}
      </p>
      {pending > 0 && (
        <p>
          {pending} unsent{device.oldestPendingAt && `, the oldest from ${at(device.oldestPendingAt)} (${ago(device.oldestPendingAt, now)} ago)`}
        </p>
      )}
      {device.pushFailingSince && (
        <p>
          Sending fails since {at(device.pushFailingSince)} ({device.pushFailures} {device.pushFailures === 1 ? 'try' : 'tries'})
          {device.lastPushError && `: last answer HTTP ${device.lastPushError.status} ${device.lastPushError.code}`}
        </p>
      )}
      <p className="device-seen">Last seen {at(device.lastSeenAt)}</p>
    </li>
  );
}

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
  const { commands } = useSupervisorDeps();
  const [loaded, setLoaded] = useState<Loaded>(null);
  const [refreshing, setRefreshing] = useState(false);

  useEffect(() => {
    let current = true;
    void commands.loadDevices().then((result) => {
      if (current) setLoaded({ result, at: Date.now() });
    });
    return () => {
      current = false;
    };
  }, [commands]);

  const refresh = async () => {
    setRefreshing(true);
    const result = await commands.loadDevices();
    setLoaded({ result, at: Date.now() });
    setRefreshing(false);
  };

  const result = loaded?.result;
  const listed = result?.ok ? result.devices.filter(needsLooking) : [];
  const others = result?.ok ? result.devices.length - listed.length : 0;
  return (
    <section className="screen">
      <h1>{title}</h1>
      <h2>Devices with unsent work</h2>
      {!loaded && <p className="loading">Loading…</p>}
      {result && !result.ok && (
        <p className="lead" role="alert">
          {result.message}
        </p>
      )}
      {result?.ok && listed.length === 0 && <p className="lead">Every device has sent all its scans.</p>}
      {listed.length > 0 && (
        <ul className="device-list" aria-label="Devices with unsent work">
          {listed.map((device) => (
            <DeviceEntry key={device.id} device={device} now={loaded!.at} />
          ))}
        </ul>
      )}
      {others > 0 && <p>{others === 1 ? '1 other device has' : `${others} other devices have`} nothing unsent.</p>}
      {loaded && <p className="device-seen">Updated {clockTime(loaded.at)}</p>}
      <div className="supervisor-actions">
        <button type="button" className="button" onClick={() => void refresh()} disabled={!loaded || refreshing}>
          Refresh
        </button>
        <Link className="button" to="/">
          Back to home
        </Link>
      </div>
      <OverrideCodesSection />
    </section>
  );
}
