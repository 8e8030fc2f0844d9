// The documents the server prints: packing slips, carton labels, and bin and LPN label sheets, rendered from plain data.
export { cartonLabelPdf } from './carton-label-pdf';
export { cartonLabelZpl } from './carton-label-zpl';
export { packingSlipPdf } from './packing-slip';
export type { CartonContent, CartonLabel, PackingSlip, PackingSlipLine, ShipTo } from './types';
export { ssccFor } from '../../src/domain/sscc';
export { labelSheetPdf } from './label-sheet-pdf';
export { labelSheetZpl } from './label-sheet-zpl';
export { UnprintableLabelError, type SheetLabel } from './label-stock';
