// The label sheet routes the admin console calls (server/routes/label-routes.ts), with the request
// schemas from src/domain/label-sheets.ts that the server declares too. One endpoint per answer
// type, so a captive portal's page is never taken for a sheet.
import { BinLabelsQuery, LpnLabelsRequest } from '../domain/label-sheets';
import { endpoint } from './api-client';

/** Longest wait for a sheet: a thousand labels take the server a few seconds to draw. */
export const LABELS_TIMEOUT_MS = 60_000;

export const binLabelsPdfEndpoint = endpoint({ method: 'GET', path: '/api/admin/labels/bins.pdf', query: BinLabelsQuery, response: 'blob', accept: 'application/pdf', timeoutMs: LABELS_TIMEOUT_MS });
export const binLabelsZplEndpoint = endpoint({ method: 'GET', path: '/api/admin/labels/bins.zpl', query: BinLabelsQuery, response: 'blob', accept: 'application/zpl', timeoutMs: LABELS_TIMEOUT_MS });

/** Not idempotent: every call reserves new numbers; numbers of an answer lost on the way stay unused. */
export const lpnLabelsPdfEndpoint = endpoint({ method: 'POST', path: '/api/admin/labels/lpns', request: LpnLabelsRequest, response: 'blob', accept: 'application/pdf', timeoutMs: LABELS_TIMEOUT_MS });
export const lpnLabelsZplEndpoint = endpoint({ method: 'POST', path: '/api/admin/labels/lpns', request: LpnLabelsRequest, response: 'blob', accept: 'application/zpl', timeoutMs: LABELS_TIMEOUT_MS });
