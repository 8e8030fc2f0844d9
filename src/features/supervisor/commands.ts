// The supervisor's use-cases: read the devices' sync health from the server's overview. Online
// only: it is the server's view of every device, never cached on this one.
import { z } from 'zod';
import { DeviceHealth } from '../../domain/device-health';
import { db as appDb, type DockhandDb } from '../../storage/db';
import { readSession } from '../../storage/session-repo';

/** The part of GET /api/supervisor/overview this screen reads. */
const DevicesOverview = z.object({ devices: z.array(DeviceHealth) });

export type DevicesResult = { ok: true; devices: DeviceHealth[] } | { ok: false; message: string };

export interface SupervisorCommands {
  loadDevices(): Promise<DevicesResult>;
}

export interface SupervisorNetwork {
  fetch: typeof fetch;
  /** Prefix for the API paths; '' on the app's own origin. */
  baseUrl?: string;
}

/** Longest wait for the overview. */
const REQUEST_TIMEOUT_MS = 15_000;

export function createSupervisorCommands(db: DockhandDb = appDb, network: SupervisorNetwork = { fetch: (...args) => globalThis.fetch(...args) }): SupervisorCommands {
  return {
    async loadDevices() {
      const session = await readSession(db);
      if (!session) return { ok: false, message: 'Sign in first.' };
      let response: Response;
      let json: unknown;
      try {
        response = await network.fetch(`${network.baseUrl ?? ''}/api/supervisor/overview`, {
          headers: { authorization: `Bearer ${session.token}` },
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        json = await response.json().catch(() => undefined);
      } catch {
        return { ok: false, message: 'The server could not be reached. Devices show once this device is online.' };
      }
      if (response.status === 401) return { ok: false, message: 'Your session has ended. Sign in again.' };
      if (response.status === 403) return { ok: false, message: 'Devices are shown to supervisors and admins only.' };
      const parsed = DevicesOverview.safeParse(json);
      if (!response.ok || !parsed.success) return { ok: false, message: `The server could not list the devices (HTTP ${response.status}). Try again shortly.` };
      return { ok: true, devices: parsed.data.devices };
    },
  };
}
