// The engines on rendered barcodes: formats and symbology identifiers come out in our terms, GS1
// separators survive, and zxing-js forgets a DataBar once the next frame has none.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import bwipjs from 'bwip-js/node';
import { describe, expect, it } from 'vitest';
import { decodePng, placeOnFrame } from '../../../../test/e2e/y4m';
import type { RgbaFrame } from '../../../../test/e2e/y4m';
import { WAREHOUSE_FORMATS } from './decoder';
import type { DecodeOptions } from './decoder';
import { createZxingJsDecoder } from './zxing-js';
import { createZxingWasmDecoder } from './zxing-wasm';

const wasmPath = fileURLToPath(import.meta.resolve('zxing-wasm/reader/zxing_reader.wasm'));
const FAST: DecodeOptions = { tryHarder: false, formats: WAREHOUSE_FORMATS };

/** A camera-sized frame as ImageData (by shape: Node has no ImageData class). */
function imageData({ width, height, rgba }: RgbaFrame): ImageData {
  return { width, height, data: rgba, colorSpace: 'srgb' } as ImageData;
}

/** Renders `text` as `bcid` on a 640×480 white frame; `height` (mm) only for linear codes. */
async function frame(bcid: string, text: string, scale = 3, height?: number): Promise<ImageData> {
  const png = await bwipjs.toBuffer({ bcid, text, scale, padding: 10, backgroundcolor: 'FFFFFF', ...(height ? { height } : {}) });
  return imageData(placeOnFrame(decodePng(png), 640, 480));
}

const blank = imageData(placeOnFrame(null, 640, 480));

describe('zxing-wasm', () => {
  const decoder = createZxingWasmDecoder({ wasmBinary: readFileSync(wasmPath).buffer as ArrayBuffer });

  it.each([
    ['gs1-128', '(01)09501101530003(10)ABC123(17)261231', 'code-128', ']C1', '010950110153000310ABC123\x1d17261231'],
    ['ean13', '5901234123457', 'ean-13', ']E0', '5901234123457'],
    ['databarexpanded', '(01)09501101530003(10)ABC', 'databar-expanded', ']e0', '010950110153000310ABC'],
    ['itf14', '15400141288763', 'itf', ']I1', '15400141288763'],
    ['code39', 'BIN-A0103', 'code-39', ']A0', 'BIN-A0103'],
  ])('reads %s', async (bcid, data, format, symbologyIdentifier, text) => {
    const results = await decoder.decode(await frame(bcid, data, 2, 12), FAST);
    expect(results).toEqual([expect.objectContaining({ format, symbologyIdentifier, text })]);
  });

  it('reads GS1 DataMatrix with its separators', async () => {
    const results = await decoder.decode(await frame('gs1datamatrix', '(01)09501101530003(10)ABC(17)261231', 4), FAST);
    expect(results).toEqual([expect.objectContaining({ format: 'datamatrix', symbologyIdentifier: ']d2', text: '010950110153000310ABC\x1d17261231' })]);
  });

  it('ignores formats it was not asked for', async () => {
    expect(await decoder.decode(await frame('ean13', '5901234123457', 2, 12), { tryHarder: false, formats: ['qr'] })).toEqual([]);
  });

  it('finds nothing in a blank frame', async () => {
    expect(await decoder.decode(blank, FAST)).toEqual([]);
  });
});

describe('zxing-js', () => {
  it('reads GS1-128 with its identifier taken off the text', async () => {
    const decoder = createZxingJsDecoder();
    const results = await decoder.decode(await frame('gs1-128', '(01)09501101530003(10)ABC123(17)261231', 2, 12), FAST);
    expect(results).toEqual([expect.objectContaining({ format: 'code-128', symbologyIdentifier: ']C1', text: '010950110153000310ABC123\x1d17261231' })]);
  });

  it.each([
    ['databaromni', '(01)09501101530003', 'databar', '0109501101530003'],
    ['databarexpanded', '(01)09501101530003(10)ABC', 'databar-expanded', '010950110153000310ABC'],
  ])('returns nothing for a blank frame after a %s frame (the reader is reset every frame)', async (bcid, data, format, text) => {
    const decoder = createZxingJsDecoder();
    const opts = { tryHarder: false, formats: ['databar', 'databar-expanded'] } as const;
    expect(await decoder.decode(await frame(bcid, data, 2, 12), opts)).toEqual([expect.objectContaining({ format, text })]);
    expect(await decoder.decode(blank, opts)).toEqual([]);
    expect(await decoder.decode(blank, opts)).toEqual([]);
  });
});
