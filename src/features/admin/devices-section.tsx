// Devices: who used each last, when it last reached the server, and what it holds unsent. A lost
// device is revoked: its sessions end at once and its unsent work, which will never arrive, stays
// listed for a supervisor to redo.
import { useCallback, useEffect, useState } from 'react';
import type { AdminDevice } from '../../domain/admin';
import { useAdminDeps } from './admin-context';
import { AdminTable, ago, LoadState, NoticeLine, useAdminLoad, when, type Notice } from './admin-parts';

function unsent(device: AdminDevice, now: number): string {
  const pending = device.pendingCount;
  if (pending === null) return 'Not reported';
  if (pending === 0) return 'Nothing';
  return `${pending} unsent${device.oldestPendingAt ? `, oldest ${ago(device.oldestPendingAt, now)} old` : ''}`;
}

export default function DevicesSection() {
  const { commands } = useAdminDeps();
  const load = useCallback(() => commands.listDevices(), [commands]);
  const { result, reload } = useAdminLoad(load);
  const [confirming, setConfirming] = useState<AdminDevice | null>(null);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [own, setOwn] = useState<string | null>(null);
  useEffect(() => {
    void commands.thisDeviceId().then(setOwn);
  }, [commands]);

  const revoke = async (device: AdminDevice) => {
    setConfirming(null);
    const revoked = await commands.revokeDevice(device.id);
    if (!revoked.ok) return setNotice({ ok: false, message: revoked.message });
    const left = revoked.value.pendingCount ?? 0;
    setNotice({
      ok: true,
      message: `${device.id} is revoked: signed out, and it cannot sign in again.${left > 0 ? ` It held ${left} unsent ${left === 1 ? 'scan' : 'scans'} that will never arrive: a supervisor redoes that work.` : ''}`,
    });
    setNow(Date.now());
    await reload();
  };

  return (
    <>
      <h2>Devices</h2>
      <LoadState result={result} />
      {result?.ok && result.value.length === 0 && <p>No device has signed in yet.</p>}
      {result?.ok && result.value.length > 0 && (
        <AdminTable
          caption="Devices"
          columns={[
            { header: 'Device', cell: (device) => device.id, className: 'admin-code' },
            { header: 'Last user', cell: (device) => device.userName ?? 'Nobody' },
            { header: 'Last seen', cell: (device) => when(device.lastSeenAt) },
            { header: 'Unsent work', cell: (device) => unsent(device, now) },
            {
              header: 'Status',
              cell: (device) =>
                device.revokedAt
                  ? `Revoked ${when(device.revokedAt)}${device.revokedBy ? ` by ${device.revokedBy}` : ''}`
                  : device.stuck
                    ? 'Stuck: sending fails'
                    : 'In use',
            },
          ]}
          rows={result.value}
          rowKey={(device) => device.id}
          rowClass={(device) => (device.revokedAt ? 'admin-row-off' : device.stuck ? 'admin-row-bad' : undefined)}
          actions={(device) => (
            <>
              {device.id === own && 'This device'}
              {!device.revokedAt && device.id !== own && (
                <button type="button" className="button" onClick={() => setConfirming(device)} aria-label={`Revoke ${device.id}`}>
                  Revoke
                </button>
              )}
            </>
          )}
        />
      )}
      {confirming && (
        <div className="admin-form admin-confirm" role="group" aria-label={`Revoke ${confirming.id}`}>
          <p>
            Revoke <strong>{confirming.id}</strong>
            {confirming.userName ? ` (last used by ${confirming.userName})` : ''}? It is signed out at once and can never sign in again under this id.
            {(confirming.pendingCount ?? 0) > 0 && ` Its ${confirming.pendingCount} unsent scans will never reach the server.`}
          </p>
          <div className="admin-actions">
            <button type="button" className="button button-primary" onClick={() => void revoke(confirming)}>
              Revoke device
            </button>
            <button type="button" className="button" onClick={() => setConfirming(null)}>
              Keep it
            </button>
          </div>
        </div>
      )}
      <NoticeLine notice={notice} />
    </>
  );
}
