// A camera misread of a 1D code is usually a wrong digit: EAN/UPC reads, and ITF reads of the GS1
// lengths (ITF-14 above all), must carry a valid GS1 check digit before they count. Code 128,
// DataBar and the 2D codes check themselves inside the decoder; Code 39 and ITF of other lengths
// have no mandatory check character and are taken as read.
import { hasValidCheckDigit, upcEToUpcA } from '../../../domain/gtin';
import type { DecodeResult } from './decoder';

/** Lengths an ITF symbol has when it carries GS1 data (ITF-14 above all). */
const GS1_ITF_LENGTHS = new Set([6, 14, 16]);

export function passesCheckDigit(result: Pick<DecodeResult, 'format' | 'text'>): boolean {
  const { format, text } = result;
  switch (format) {
    case 'ean-13':
    case 'ean-8':
    case 'upc-a':
      return hasValidCheckDigit(text);
    case 'upc-e': {
      // Engines report UPC-E either as its 8 digits or already expanded to 12 or 13.
      if (text.length !== 8) return hasValidCheckDigit(text);
      const upcA = upcEToUpcA(text);
      return upcA !== null && hasValidCheckDigit(upcA);
    }
    case 'itf':
      return !GS1_ITF_LENGTHS.has(text.length) || hasValidCheckDigit(text);
    default:
      return true;
  }
}

export function acceptedResults(results: readonly DecodeResult[]): DecodeResult[] {
  return results.filter(passesCheckDigit);
}
