// The supervisor's use-cases: read the devices' sync health from the server's overview, and get
// override codes for packers closing a carton short. Online only: both are the server's, never
// cached on this device (a code kept here could be read off a lost tablet).
import type { OverrideCodes } from '../../domain/api';
import type { DeviceHealth } from '../../domain/device-health';
import { db as appDb, type DockhandDb } from '../../storage/db';
import { readSession } from '../../storage/session-repo';
import { ApiError, createApiClient } from '../../sync/api-client';
import { devicesEndpoint, overrideCodesEndpoint } from '../../sync/endpoints';

export type DevicesResult = { ok: true; devices: DeviceHealth[] } | { ok: false; message: string };

export type OverrideCodesResult = ({ ok: true } & OverrideCodes) | { ok: false; message: string };

/** Override codes asked for at once: a few for the shift, fewer than the server's most. */
export const OVERRIDE_CODES_PER_REQUEST = 5;

export const OVERRIDE_CODES_OFFLINE = 'Override codes come from the server: connect this device to the network to get them.';

export interface SupervisorCommands {
  loadDevices(): Promise<DevicesResult>;
  /** Issues `count` one-time codes (default OVERRIDE_CODES_PER_REQUEST) for the signed-in supervisor's owners. */
  getOverrideCodes(count?: number): Promise<OverrideCodesResult>;
}

export interface SupervisorNetwork {
  fetch: typeof fetch;
  /** Prefix for the API paths; '' on the app's own origin. */
  baseUrl?: string;
  /** Whether the browser has a network; asking the server without one only waits for a timeout. */
  isOnline?: () => boolean;
}

export function createSupervisorCommands(db: DockhandDb = appDb, network: SupervisorNetwork = { fetch: (...args) => globalThis.fetch(...args) }): SupervisorCommands {
  const api = createApiClient({ fetch: network.fetch, baseUrl: network.baseUrl });
  const isOnline = network.isOnline ?? (() => (globalThis.navigator as Navigator | undefined)?.onLine ?? true);
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

    async getOverrideCodes(count = OVERRIDE_CODES_PER_REQUEST) {
      if (!isOnline()) return { ok: false, message: OVERRIDE_CODES_OFFLINE };
      const session = await readSession(db);
      if (!session) return { ok: false, message: 'Sign in first.' };
      try {
        const issued = await api.request(overrideCodesEndpoint, { token: session.token, body: { count } });
        return { ok: true, ...issued };
      } catch (caught) {
        if (!(caught instanceof ApiError)) throw caught;
        return { ok: false, message: codesFailureMessage(caught) };
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

function codesFailureMessage(error: ApiError): string {
  switch (error.kind) {
    case 'unreachable':
    case 'timeout':
    case 'aborted':
      return OVERRIDE_CODES_OFFLINE;
    case 'unauthorized':
      return 'Your session has ended. Sign in again.';
    case 'forbidden':
      return 'Override codes are for supervisors and admins only.';
    default:
      return `The server could not issue override codes (HTTP ${error.status}). Try again shortly.`;
  }
}
