// The pack station's documents: packing slips and carton labels, rendered from plain data.
export { cartonLabelPdf } from './carton-label-pdf';
export { cartonLabelZpl } from './carton-label-zpl';
export { packingSlipPdf } from './packing-slip';
export type { CartonContent, CartonLabel, PackingSlip, PackingSlipLine, ShipTo } from './types';
export { ssccFor } from '../../src/domain/sscc';
