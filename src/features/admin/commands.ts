// The admin console's use-cases (issue 15): owners, integrations, users, devices, carton types and
// the CSV imports and exports, each one request to the server through the typed API client. Online
// only: nothing here is cached on the device, and an integration's key or a new PIN is never stored.
import type { CartonType, Owner } from '../../domain/entities';
import {
  InvalidCsvAnswer,
  type AdminDevice,
  type AdminUser,
  type CallbackAnswer,
  type CartonTypeRequest,
  type CsvRowProblem,
  type Integration,
  type IssuedIntegration,
  type NewOwnerRequest,
  type NewUserRequest,
  type OwnerSettings,
} from '../../domain/admin';
import type { PublicUser } from '../../domain/api';
import { db as appDb, type DockhandDb } from '../../storage/db';
import { getOrCreateDeviceId, readSession } from '../../storage/session-repo';
import { ApiError, createApiClient, type AnswerOf, type Endpoint, type RequestOptions } from '../../sync/api-client';
import {
  addIntegrationEndpoint,
  addOwnerEndpoint,
  addUserEndpoint,
  adminDevicesEndpoint,
  adminOwnersEndpoint,
  adminUsersEndpoint,
  cartonTypesEndpoint,
  editOwnerEndpoint,
  fulfillmentCallbackEndpoint,
  importBinsEndpoint,
  importOrdersEndpoint,
  importProductsEndpoint,
  importUsersEndpoint,
  integrationsEndpoint,
  ledgerExportEndpoint,
  putCartonTypeEndpoint,
  removeCartonTypeEndpoint,
  resetPinEndpoint,
  revokeDeviceEndpoint,
  revokeIntegrationEndpoint,
  rotateIntegrationEndpoint,
  stockExportEndpoint,
  userActiveEndpoint,
  userOwnersEndpoint,
} from '../../sync/admin-endpoints';

/** What a command answers: its value, or why not, and for a refused CSV file every row's problem. */
export type AdminResult<T> =
  | { ok: true; value: T }
  | { ok: false; message: string; /** A refused import's rows (the first 1000). */ problems?: CsvRowProblem[]; /** How many rows were refused in all. */ problemCount?: number };

export const ADMIN_OFFLINE = 'The admin console works online only: connect this device to the network.';

export type ImportKind = 'products' | 'bins' | 'users' | 'orders';
export type ExportKind = 'stock' | 'ledger';

/** An import's outcome in one line: "12 rows: 3 created, 9 updated, 0 unchanged". */
export interface ImportSummary {
  rows: number;
  summary: string;
}

export interface AdminCommands {
  listOwners(): Promise<AdminResult<Owner[]>>;
  addOwner(owner: NewOwnerRequest): Promise<AdminResult<Owner>>;
  editOwner(id: string, settings: OwnerSettings): Promise<AdminResult<Owner>>;

  listIntegrations(): Promise<AdminResult<Integration[]>>;
  /** An api integration's key is in the answer, this once. */
  addIntegration(integration: { owner: string; name: string; type: 'api' | 'shopify'; shopDomain?: string; webhookSecret?: string }): Promise<AdminResult<IssuedIntegration>>;
  rotateIntegration(id: string, rotation: { graceHours?: number; webhookSecret?: string }): Promise<AdminResult<IssuedIntegration>>;
  revokeIntegration(id: string): Promise<AdminResult<Integration>>;
  setFulfillmentCallback(id: string, url: string | null): Promise<AdminResult<CallbackAnswer>>;

  listUsers(): Promise<AdminResult<AdminUser[]>>;
  addUser(user: NewUserRequest): Promise<AdminResult<PublicUser>>;
  resetPin(userId: string, pin: string): Promise<AdminResult<AdminUser>>;
  setActive(userId: string, active: boolean): Promise<AdminResult<AdminUser>>;
  /** null: every owner. */
  setOwners(userId: string, ownerIds: string[] | null): Promise<AdminResult<PublicUser>>;

  listDevices(): Promise<AdminResult<AdminDevice[]>>;
  /** The id of the device this console runs on, which it cannot revoke. */
  thisDeviceId(): Promise<string>;
  revokeDevice(deviceId: string): Promise<AdminResult<AdminDevice>>;

  listCartonTypes(ownerId: string): Promise<AdminResult<CartonType[]>>;
  /** `id` null adds a new carton type. */
  saveCartonType(id: string | null, cartonType: CartonTypeRequest): Promise<AdminResult<CartonType>>;
  removeCartonType(id: string): Promise<AdminResult<null>>;

  /** Uploads `file` as the import of `kind`; `ownerCode` names the owner for products and orders. */
  importCsv(kind: ImportKind, ownerCode: string, file: Blob): Promise<AdminResult<ImportSummary>>;
  exportCsv(kind: ExportKind, ownerCode: string): Promise<AdminResult<Blob>>;
}

export interface AdminNetwork {
  fetch: typeof fetch;
  /** Prefix for the API paths; '' on the app's own origin. */
  baseUrl?: string;
  /** Whether the browser has a network; asking the server without one only waits for a timeout. */
  isOnline?: () => boolean;
  /** New carton type ids. */
  newId?: () => string;
}

function failureOf(error: ApiError): AdminResult<never> {
  switch (error.kind) {
    case 'unreachable':
    case 'timeout':
    case 'aborted':
      return { ok: false, message: `The server could not be reached. ${ADMIN_OFFLINE}` };
    case 'unauthorized':
      return { ok: false, message: 'Your session has ended. Sign in again.' };
    case 'forbidden':
      return { ok: false, message: error.body?.message ?? 'The admin console is for admins only.' };
    case 'protocol':
    case 'server':
      return { ok: false, message: `The server could not do this (HTTP ${error.status ?? '?'}). Try again shortly.` };
    default: {
      const invalid = InvalidCsvAnswer.safeParse(error.body);
      if (invalid.success) return { ok: false, message: invalid.data.message, problems: invalid.data.errors, problemCount: invalid.data.errorCount };
      return { ok: false, message: error.body?.message ?? `The server refused this (HTTP ${error.status ?? '?'}).` };
    }
  }
}

/** "12 rows read: 3 created, 9 updated, 0 unchanged" (orders: of the orders the rows make). */
const counted = (rows: number, counts: { created: number; updated: number; unchanged: number }, what = '') =>
  `${rows} ${rows === 1 ? 'row' : 'rows'} read${what}: ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged`;

export function createAdminCommands(db: DockhandDb = appDb, network: AdminNetwork = { fetch: (...args) => globalThis.fetch(...args) }): AdminCommands {
  const api = createApiClient({ fetch: network.fetch, baseUrl: network.baseUrl });
  const isOnline = network.isOnline ?? (() => (globalThis.navigator as Navigator | undefined)?.onLine ?? true);
  const newId = network.newId ?? (() => `ctn-${crypto.randomUUID()}`);

  /** One request as the signed-in admin, its failure said in words. */
  async function call<E extends Endpoint, T = AnswerOf<E>>(
    endpoint: E,
    options: Omit<RequestOptions<E>, 'token'>,
    pick: (answer: AnswerOf<E>) => T = (answer) => answer as unknown as T,
  ): Promise<AdminResult<T>> {
    if (!isOnline()) return { ok: false, message: ADMIN_OFFLINE };
    const session = await readSession(db);
    if (!session) return { ok: false, message: 'Sign in first.' };
    try {
      return { ok: true, value: pick(await api.request(endpoint, { ...options, token: session.token } as RequestOptions<E>)) };
    } catch (caught) {
      if (!(caught instanceof ApiError)) throw caught;
      return failureOf(caught);
    }
  }

  return {
    listOwners: () => call(adminOwnersEndpoint, {}, (answer) => answer.owners),
    addOwner: (owner) => call(addOwnerEndpoint, { body: owner }),
    editOwner: (id, settings) => call(editOwnerEndpoint, { params: { id }, body: settings }),

    listIntegrations: () => call(integrationsEndpoint, {}, (answer) => answer.integrations),
    addIntegration: (integration) => call(addIntegrationEndpoint, { body: integration }),
    rotateIntegration: (id, rotation) => call(rotateIntegrationEndpoint, { params: { id }, body: rotation }),
    revokeIntegration: (id) => call(revokeIntegrationEndpoint, { params: { id } }, (answer) => answer.integration),
    setFulfillmentCallback: (id, url) => call(fulfillmentCallbackEndpoint, { params: { id }, body: { url } }),

    listUsers: () => call(adminUsersEndpoint, {}, (answer) => answer.users),
    addUser: (user) => call(addUserEndpoint, { body: user }),
    resetPin: (id, pin) => call(resetPinEndpoint, { params: { id }, body: { pin } }),
    setActive: (id, active) => call(userActiveEndpoint, { params: { id }, body: { active } }),
    setOwners: (id, ownerIds) => call(userOwnersEndpoint, { params: { id }, body: { ownerIds } }),

    listDevices: () => call(adminDevicesEndpoint, {}, (answer) => answer.devices),
    thisDeviceId: () => getOrCreateDeviceId(db),
    revokeDevice: (id) => call(revokeDeviceEndpoint, { params: { id } }),

    listCartonTypes: (ownerId) => call(cartonTypesEndpoint, { query: { owner: ownerId } }, (answer) => answer.cartonTypes),
    saveCartonType: (id, cartonType) => call(putCartonTypeEndpoint, { params: { id: id ?? newId() }, body: cartonType }),
    removeCartonType: (id) => call(removeCartonTypeEndpoint, { params: { id } }, () => null),

    importCsv(kind, ownerCode, file) {
      // The server reads the body as CSV only under this type, whatever the file picker said.
      const body = new Blob([file], { type: 'text/csv' });
      const summary = (answer: { rows: number; created: number; updated: number; unchanged: number }) => ({ rows: answer.rows, summary: counted(answer.rows, answer) });
      switch (kind) {
        case 'products':
          return call(importProductsEndpoint, { body, query: { owner: ownerCode } }, summary);
        case 'bins':
          return call(importBinsEndpoint, { body }, summary);
        case 'users':
          return call(importUsersEndpoint, { body }, summary);
        case 'orders':
          return call(importOrdersEndpoint, { body, query: { owner: ownerCode } }, ({ rows, orders }) => ({
            rows,
            summary: counted(rows, orders, ', orders'),
          }));
      }
    },
    exportCsv: (kind, ownerCode) => call(kind === 'stock' ? stockExportEndpoint : ledgerExportEndpoint, { query: { owner: ownerCode } }),
  };
}
