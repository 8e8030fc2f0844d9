// A parcel's weight as a packer types it or a scale types it through a USB wedge: "1.25", "1,25 kg",
// "850 g", "2.4 lb", or a scale's frame such as "ST,GS,+001.250kg". A bare number is kilograms, as
// the field's label says. Answers whole grams.

const UNIT_GRAMS: Record<string, number> = { kg: 1000, g: 1, lb: 453.59237, lbs: 453.59237, oz: 28.349523125 };

/** A weight as the floor reads it: "1.25 kg", "5 kg". */
export const kilograms = (grams: number): string => `${(grams / 1000).toFixed(grams % 1000 === 0 ? 0 : 2)} kg`;

/** Heaviest parcel the station records: a pallet's worth is not a carton. */
export const MAX_WEIGHT_GRAMS = 1_000_000;

export function parseWeight(text: string): { ok: true; grams: number } | { ok: false; message: string } {
  // The last number in the text, with its unit if one follows: a scale frame's status words come first.
  const matches = [...text.toLowerCase().matchAll(/([+-]?\d+(?:[.,]\d+)?)\s*(kg|lbs|lb|oz|g)?/g)];
  const last = matches.at(-1);
  if (!last) return { ok: false, message: 'Type the weight in kg (e.g. 1.25), or put the carton on the scale.' };
  const value = Number(last[1]!.replace(',', '.'));
  const grams = Math.round(value * UNIT_GRAMS[last[2] ?? 'kg']!);
  if (!(grams > 0)) return { ok: false, message: `${text.trim()} is no weight: a carton weighs more than 0.` };
  if (grams > MAX_WEIGHT_GRAMS) return { ok: false, message: `${text.trim()} is over 1,000 kg: check the scale and the unit.` };
  return { ok: true, grams };
}
