// Devices: those holding unsent work first, stuck ones flagged, and a red flag on any device silent
// for SILENT_MINUTES with work unsent ("3 scans unsent for 47 min on HH-07, last user Olivia");
// then every device with its user and last contact.
import type { DeviceHealth } from '../../domain/device-health';
import { useFloorData } from './floor-data';
import { ago, at, duration } from './floor-format';
import { FloorStatus } from './floor-status';
import { useSupervisorDeps } from './supervisor-context';

/** A device not heard from this long while it holds unsent work is flagged red. */
export const SILENT_MINUTES = 10;

/** A device's sync health changed, or it pushed. */
const DEVICE_EVENTS = ['device-health', 'mutation-applied', 'mutation-rejected'] as const;

/** Holds work the server has not got, or cannot push it. */
const needsLooking = (device: DeviceHealth) => device.stuck || (device.pendingCount ?? 0) > 0 || device.pushFailingSince !== null;

/** The red flag's words when `device` is silent with unsent work; null otherwise. */
export function silentFlag(device: DeviceHealth, now: number): string | null {
  const pending = device.pendingCount ?? 0;
  if (pending === 0 || now - Date.parse(device.lastSeenAt) < SILENT_MINUTES * 60_000) return null;
  const since = device.oldestPendingAt ?? device.lastSeenAt;
  return `${pending} ${pending === 1 ? 'scan' : 'scans'} unsent for ${duration(now - Date.parse(since))} on ${device.id}, last user ${device.userName ?? 'unknown'}`;
}

function DeviceEntry({ device, now }: { device: DeviceHealth; now: number }) {
  const pending = device.pendingCount ?? 0;
  const flag = silentFlag(device, now);
  return (
    <li className={`device ${device.stuck || flag ? 'device-stuck' : ''}`}>
      {flag && <p className="device-alarm">{flag}</p>}
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

export function DevicesPanel() {
  const { commands } = useSupervisorDeps();
  const state = useFloorData(async () => {
    const result = await commands.loadDevices();
    return result.ok ? { ok: true as const, data: result.devices } : { ok: false as const, message: result.message, offline: false };
  }, 'devices', DEVICE_EVENTS);
  const devices = state.data?.value ?? [];
  const now = state.data?.at ?? 0;
  const listed = devices.filter(needsLooking);
  const others = devices.length - listed.length;
  return (
    <div className="floor-panel">
      <FloorStatus state={state} what="the devices" />
      <h3>Devices with unsent work</h3>
      {state.data && listed.length === 0 && <p className="lead">Every device has sent all its scans.</p>}
      {listed.length > 0 && (
        <ul className="device-list" aria-label="Devices with unsent work">
          {listed.map((device) => (
            <DeviceEntry key={device.id} device={device} now={now} />
          ))}
        </ul>
      )}
      {others > 0 && <p>{others === 1 ? '1 other device has' : `${others} other devices have`} nothing unsent.</p>}
      {devices.length > 0 && (
        <>
          <h3>All devices</h3>
          <div className="table-scroll" role="region" aria-label="All devices" tabIndex={0}>
            <table className="supervisor-table">
              <thead>
                <tr>
                  <th scope="col">Device</th>
                  <th scope="col">User</th>
                  <th scope="col">Last contact</th>
                  <th scope="col">App version</th>
                  <th scope="col">Unsent</th>
                </tr>
              </thead>
              <tbody>
                {devices.map((device) => (
                  <tr key={device.id} className={silentFlag(device, now) ? 'row-alarm' : undefined}>
                    <td>{device.id}</td>
                    <td>{device.userName ?? '–'}</td>
                    <td>
                      {at(device.lastSeenAt)} ({ago(device.lastSeenAt, now)} ago)
                    </td>
                    <td>{device.appVersion ?? 'not reported'}</td>
                    <td>{device.pendingCount ?? 'not reported'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </div>
  );
}
