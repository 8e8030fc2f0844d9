// Bin and LPN label sheets the admin console prints (GET /api/admin/labels/bins.pdf|.zpl, POST
// /api/admin/labels/lpns): the label stock they are laid out for, and the requests' shapes.
import { z } from 'zod';
import { text } from './text';

/**
 * The label stock a sheet is laid out for: A4 sheets of 21 (Avery L7160 layout, 63.5 × 38.1 mm),
 * US Letter sheets of 30 (Avery 5160 layout, 2⅝ × 1 in), and thermal rolls of 4 × 6 in and 2 × 1 in.
 */
export const LabelStock = z.enum(['a4-21', 'letter-30', 'thermal-4x6', 'thermal-2x1']);
export type LabelStock = z.infer<typeof LabelStock>;

/** What each stock is called on screen, and whether a Zebra printer takes it (ZPL: rolls only). */
export const LABEL_STOCKS: Readonly<Record<LabelStock, { name: string; zpl: boolean }>> = {
  'a4-21': { name: 'A4 sheet, 21 labels 63.5 × 38.1 mm (L7160)', zpl: false },
  'letter-30': { name: 'US Letter sheet, 30 labels 2⅝ × 1 in (5160)', zpl: false },
  'thermal-4x6': { name: 'Thermal roll, 4 × 6 in', zpl: true },
  'thermal-2x1': { name: 'Thermal roll, 2 × 1 in', zpl: true },
};

export const LabelFormat = z.enum(['pdf', 'zpl']);
export type LabelFormat = z.infer<typeof LabelFormat>;

/** Labels one request prints at most: 48 A4 sheets, a long roll. */
export const MAX_LABELS = 1000;

/** GET /api/admin/labels/bins.pdf and .zpl: the bins from `from` to `to` by code, numbers in order (A-2 before A-10). */
export const BinLabelsQuery = z.object({
  from: text().trim().min(1).max(100).describe('The first bin code of the range, e.g. A-01-1'),
  to: text().trim().min(1).max(100).describe('The last bin code of the range, e.g. A-05-2'),
  stock: LabelStock.default('a4-21'),
});
export type BinLabelsQuery = z.infer<typeof BinLabelsQuery>;

/** POST /api/admin/labels/lpns: reserve `count` new LPN numbers and answer their labels. */
export const LpnLabelsRequest = z.object({
  count: z.number().int().min(1).max(MAX_LABELS),
  stock: LabelStock.default('a4-21'),
  format: LabelFormat.default('pdf'),
});
export type LpnLabelsRequest = z.infer<typeof LpnLabelsRequest>;
