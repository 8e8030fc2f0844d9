// The order a picker walks a pick list: by the bins' walk sequence, then bin code, then product,
// so every device shows the same next line. Skipping a line sends it to the end of the walk.
import type { PickLine } from './entities';

export interface PathLabels {
  /** The bin code of a location id (lines carry only the id); falls back to the id. */
  locationCode?: (locationId: string) => string | undefined;
  /** What sorts products within a bin, e.g. the SKU; falls back to the product id. */
  productKey?: (productId: string) => string | undefined;
}

/** Code-unit order (not locale order), so every runtime sorts identically. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function comparePickLines(labels: PathLabels = {}): (a: PickLine, b: PickLine) => number {
  const code = (line: PickLine): string => labels.locationCode?.(line.locationId) ?? line.locationId;
  const product = (line: PickLine): string => labels.productKey?.(line.productId) ?? line.productId;
  return (a, b) =>
    a.walkSeq - b.walkSeq ||
    compareText(code(a), code(b)) ||
    compareText(product(a), product(b)) ||
    // The id last makes the order total: equal lines never swap between devices.
    compareText(a.id, b.id);
}

/** A copy of `lines` in walk order. */
export function sortPickPath<L extends PickLine>(lines: readonly L[], labels: PathLabels = {}): L[] {
  return [...lines].sort(comparePickLines(labels));
}

/** A copy of `lines` with `lineId` moved to the end; unchanged when it is not there. */
export function skipToEnd<L extends PickLine>(lines: readonly L[], lineId: string): L[] {
  const skipped = lines.find((line) => line.id === lineId);
  if (!skipped) return [...lines];
  return [...lines.filter((line) => line.id !== lineId), skipped];
}

/** The first open line in `lines`' order (walk order, after any skips), or undefined when all are done. */
export function nextOpenLine<L extends PickLine>(lines: readonly L[]): L | undefined {
  return lines.find((line) => line.status === 'open');
}
