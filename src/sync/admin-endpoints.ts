// The API routes the admin console calls (issue 15), with the schemas from src/domain/admin.ts
// that the server's routes declare too. Online only: the console caches nothing on the device.
import { z } from 'zod';
import { CartonType, Owner } from '../domain/entities';
import {
  AdminDevice,
  AdminDeviceList,
  AdminUser,
  AdminUserList,
  CallbackAnswer,
  CallbackRequest,
  CartonTypeRequest,
  ImportCounts,
  Integration,
  IssuedIntegration,
  NewIntegrationRequest,
  NewOwnerRequest,
  NewUserRequest,
  OrderImportAnswer,
  OwnerSettings,
  PinResetRequest,
  RotateRequest,
  UserActiveRequest,
  UserOwnersRequest,
} from '../domain/admin';
import { PublicUser } from '../domain/api';
import { endpoint } from './api-client';

/** Longest wait for an admin screen's request. */
const ADMIN_TIMEOUT_MS = 15_000;
/** Longest wait for a CSV import or export: a file of 100,000 rows takes the server a while. */
export const CSV_TIMEOUT_MS = 180_000;

const ownerQuery = z.object({ owner: z.string() });

export const adminOwnersEndpoint = endpoint({ method: 'GET', path: '/api/admin/owners', response: z.object({ owners: z.array(Owner) }), timeoutMs: ADMIN_TIMEOUT_MS });
export const addOwnerEndpoint = endpoint({ method: 'POST', path: '/api/admin/owners', request: NewOwnerRequest, response: Owner, timeoutMs: ADMIN_TIMEOUT_MS });
export const editOwnerEndpoint = endpoint({ method: 'PUT', path: '/api/admin/owners/:id', request: OwnerSettings, response: Owner, timeoutMs: ADMIN_TIMEOUT_MS });

export const adminUsersEndpoint = endpoint({ method: 'GET', path: '/api/admin/users', response: AdminUserList, timeoutMs: ADMIN_TIMEOUT_MS });
export const addUserEndpoint = endpoint({ method: 'POST', path: '/api/admin/users', request: NewUserRequest, response: PublicUser, timeoutMs: ADMIN_TIMEOUT_MS });
export const resetPinEndpoint = endpoint({ method: 'PUT', path: '/api/admin/users/:id/pin', request: PinResetRequest, response: AdminUser, timeoutMs: ADMIN_TIMEOUT_MS });
export const userActiveEndpoint = endpoint({ method: 'PUT', path: '/api/admin/users/:id/active', request: UserActiveRequest, response: AdminUser, timeoutMs: ADMIN_TIMEOUT_MS });
export const userOwnersEndpoint = endpoint({ method: 'PUT', path: '/api/admin/users/:id/owners', request: UserOwnersRequest, response: PublicUser, timeoutMs: ADMIN_TIMEOUT_MS });

export const adminDevicesEndpoint = endpoint({ method: 'GET', path: '/api/admin/devices', response: AdminDeviceList, timeoutMs: ADMIN_TIMEOUT_MS });
export const revokeDeviceEndpoint = endpoint({ method: 'POST', path: '/api/admin/devices/:id/revoke', response: AdminDevice, timeoutMs: ADMIN_TIMEOUT_MS });

export const cartonTypesEndpoint = endpoint({
  method: 'GET',
  path: '/api/admin/carton-types',
  query: ownerQuery,
  response: z.object({ cartonTypes: z.array(CartonType) }),
  timeoutMs: ADMIN_TIMEOUT_MS,
});
export const putCartonTypeEndpoint = endpoint({ method: 'PUT', path: '/api/admin/carton-types/:id', request: CartonTypeRequest, response: CartonType, timeoutMs: ADMIN_TIMEOUT_MS });
export const removeCartonTypeEndpoint = endpoint({ method: 'DELETE', path: '/api/admin/carton-types/:id', response: null, timeoutMs: ADMIN_TIMEOUT_MS });

export const integrationsEndpoint = endpoint({ method: 'GET', path: '/api/admin/integrations', response: z.object({ integrations: z.array(Integration) }), timeoutMs: ADMIN_TIMEOUT_MS });
/** Not idempotent: an answer lost on the way leaves an integration whose key nobody saw; rotate or revoke it. */
export const addIntegrationEndpoint = endpoint({ method: 'POST', path: '/api/admin/integrations', request: NewIntegrationRequest, response: IssuedIntegration, timeoutMs: ADMIN_TIMEOUT_MS });
export const rotateIntegrationEndpoint = endpoint({ method: 'POST', path: '/api/admin/integrations/:id/rotate', request: RotateRequest, response: IssuedIntegration, timeoutMs: ADMIN_TIMEOUT_MS });
export const revokeIntegrationEndpoint = endpoint({ method: 'POST', path: '/api/admin/integrations/:id/revoke', response: z.object({ integration: Integration }), timeoutMs: ADMIN_TIMEOUT_MS });
export const fulfillmentCallbackEndpoint = endpoint({
  method: 'PUT',
  path: '/api/admin/integrations/:id/fulfillment-callback',
  request: CallbackRequest,
  response: CallbackAnswer,
  timeoutMs: ADMIN_TIMEOUT_MS,
});

const csvImport = <P extends string>(path: P) =>
  endpoint({ method: 'POST', path, request: 'blob', query: ownerQuery, response: ImportCounts, timeoutMs: CSV_TIMEOUT_MS });

export const importProductsEndpoint = csvImport('/api/admin/import/products');
/** Bins are every owner's: no owner is named. */
export const importBinsEndpoint = endpoint({ method: 'POST', path: '/api/admin/import/bins', request: 'blob', response: ImportCounts, timeoutMs: CSV_TIMEOUT_MS });
/** Users name their owners in the file: no owner is named. */
export const importUsersEndpoint = endpoint({ method: 'POST', path: '/api/admin/import/users', request: 'blob', response: ImportCounts, timeoutMs: CSV_TIMEOUT_MS });
export const importOrdersEndpoint = endpoint({ method: 'POST', path: '/api/orders/import', request: 'blob', query: ownerQuery, response: OrderImportAnswer, timeoutMs: CSV_TIMEOUT_MS });

const csvExport = <P extends string>(path: P) =>
  endpoint({ method: 'GET', path, query: ownerQuery, response: 'blob', accept: 'text/csv', timeoutMs: CSV_TIMEOUT_MS });

export const stockExportEndpoint = csvExport('/api/export/stock.csv');
export const ledgerExportEndpoint = csvExport('/api/export/ledger.csv');
