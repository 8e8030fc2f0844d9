// The supervisor's use-cases: read the devices' sync health from the server's overview. Online
// only: it is the server's view of every device, never cached on this one.
import type { DeviceHealth } from '../../domain/device-health';
import { db as appDb, type DockhandDb } from '../../storage/db';
import { readSession } from '../../storage/session-repo';
import { ApiError, createApiClient } from '../../sync/api-client';
import { devicesEndpoint } from '../../sync/endpoints';

export type DevicesResult = { ok: true; devices: DeviceHealth[] } | { ok: false; message: string };

export interface SupervisorCommands {
  loadDevices(): Promise<DevicesResult>;
}

export interface SupervisorNetwork {
  fetch: typeof fetch;
  /** Prefix for the API paths; '' on the app's own origin. */
  baseUrl?: string;
}

export function createSupervisorCommands(db: DockhandDb = appDb, network: SupervisorNetwork = { fetch: (...args) => globalThis.fetch(...args) }): SupervisorCommands {
  const api = createApiClient({ fetch: network.fetch, baseUrl: network.baseUrl });
  return {
    async loadDevices() {
      const session = await readSession(db);
      if (!session) return { ok: false, message: 'Sign in first.' };
      try {
        const { devices } = await api.request(devicesEndpoint, { token: session.token });
        return { ok: true, devices };
      } catch (caught) {
        if (!(caught instanceof ApiError)) throw caught;
        return { ok: false, message: failureMessage(caught) };
      }
    },
  };
}

function failureMessage(error: ApiError): string {
  switch (error.kind) {
    case 'unreachable':
    case 'timeout':
    case 'aborted':
      return 'The server could not be reached. Devices show once this device is online.';
    case 'unauthorized':
      return 'Your session has ended. Sign in again.';
    case 'forbidden':
      return 'Devices are shown to supervisors and admins only.';
    default:
      return `The server could not list the devices (HTTP ${error.status}). Try again shortly.`;
  }
}
