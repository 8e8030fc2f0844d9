// The supervisor's use-cases: the floor's pick lists, pickers and exceptions with the actions that
// resolve them, the devices' sync health, and override codes for packers closing a carton short.
// Online only: all of it is the server's, never cached on this device (a code kept here could be
// read off a lost tablet, and a figure kept here would look current when it is not).
import type { OverrideCodes } from '../../domain/api';
import type { DeviceHealth } from '../../domain/device-health';
import type {
  ExceptionsAnswer,
  PickerCandidates,
  PickersAnswer,
  PickListDetail,
  PickListsAnswer,
  PickListStatusFilter,
  Resolved,
  ResolveException,
} from '../../domain/supervisor-floor';
import { db as appDb, type DockhandDb } from '../../storage/db';
import { readSession } from '../../storage/session-repo';
import { ApiError, createApiClient, type AnswerOf, type Endpoint, type RequestOptions } from '../../sync/api-client';
import {
  assignableUsersEndpoint,
  assignPickListEndpoint,
  devicesEndpoint,
  floorExceptionsEndpoint,
  floorPickersEndpoint,
  floorPickListEndpoint,
  floorPickListsEndpoint,
  overrideCodesEndpoint,
  releaseOrderEndpoint,
  resolveExceptionEndpoint,
  retryNoticeEndpoint,
} from '../../sync/endpoints';

export type DevicesResult = { ok: true; devices: DeviceHealth[] } | { ok: false; message: string };

/** A floor screen's answer, or why there is none; `offline`: the server could not be reached. */
export type FloorResult<T> = { ok: true; data: T } | { ok: false; message: string; offline: boolean };

export interface PickListFilter {
  /** An owner's code or id; absent: every owner of the supervisor's. */
  owner?: string;
  zone?: string;
  status?: PickListStatusFilter;
}

export type OverrideCodesResult = ({ ok: true } & OverrideCodes) | { ok: false; message: string };

/** Override codes asked for at once: a few for the shift, fewer than the server's most. */
export const OVERRIDE_CODES_PER_REQUEST = 5;

export const OVERRIDE_CODES_OFFLINE = 'Override codes come from the server: connect this device to the network to get them.';

export interface SupervisorCommands {
  loadDevices(): Promise<DevicesResult>;
  loadPickLists(filter: PickListFilter): Promise<FloorResult<PickListsAnswer>>;
  loadPickList(id: string): Promise<FloorResult<PickListDetail>>;
  loadPickers(owner?: string): Promise<FloorResult<PickersAnswer>>;
  loadExceptions(): Promise<FloorResult<ExceptionsAnswer>>;
  loadAssignableUsers(): Promise<FloorResult<PickerCandidates>>;
  resolveException(request: ResolveException): Promise<FloorResult<Resolved>>;
  retryNotice(noticeId: string): Promise<FloorResult<Resolved>>;
  releaseOrder(orderId: string): Promise<FloorResult<unknown>>;
  /** Gives the list to one user, or to nobody (null): it leaves everyone else's device. */
  assignPickList(pickListId: string, userId: string | null): Promise<FloorResult<unknown>>;
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

  /** One request of a floor screen, its failure in words. */
  async function call<E extends Endpoint>(endpoint: E, options: Omit<RequestOptions<E>, 'token'>): Promise<FloorResult<AnswerOf<E>>> {
    if (!isOnline()) return { ok: false, message: FLOOR_OFFLINE, offline: true };
    const session = await readSession(db);
    if (!session) return { ok: false, message: 'Sign in first.', offline: false };
    try {
      return { ok: true, data: await api.request(endpoint, { ...options, token: session.token } as RequestOptions<E>) };
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      return { ok: false, message: floorFailureMessage(caught), offline: ['unreachable', 'timeout', 'aborted'].includes(caught.kind) };
    }
  }

  return {
    loadPickLists: (filter) => call(floorPickListsEndpoint, { query: defined({ ...filter }) }),
    loadPickList: (id) => call(floorPickListEndpoint, { params: { id } }),
    loadPickers: (owner) => call(floorPickersEndpoint, { query: defined({ owner }) }),
    loadExceptions: () => call(floorExceptionsEndpoint, { query: {} }),
    loadAssignableUsers: () => call(assignableUsersEndpoint, {}),
    resolveException: (request) => call(resolveExceptionEndpoint, { body: request }),
    retryNotice: (id) => call(retryNoticeEndpoint, { params: { id } }),
    releaseOrder: (id) => call(releaseOrderEndpoint, { params: { id } }),
    assignPickList: (id, userId) => call(assignPickListEndpoint, { params: { id }, body: { userId } }),

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

export const FLOOR_OFFLINE = 'Offline: the floor’s figures come from the server. Connect this device to the network to see them.';

/** The filters that are set, as query text. */
function defined(filter: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(filter).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

function floorFailureMessage(error: ApiError): string {
  switch (error.kind) {
    case 'unreachable':
    case 'timeout':
    case 'aborted':
      return FLOOR_OFFLINE;
    case 'unauthorized':
      return 'Your session has ended. Sign in again.';
    case 'forbidden':
      return 'The floor is shown to supervisors and admins only.';
    case 'refused':
    case 'conflict':
      // The server's own words: "No such pick list.", "This pick list is done and cannot be assigned."
      return error.message;
    default:
      return `The server could not answer (HTTP ${error.status ?? '?'}). Try again shortly.`;
  }
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
