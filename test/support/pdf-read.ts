// Reading the server's documents back in tests: the text a PDF page draws, the barcode images it
// holds, and what zxing-cpp (zxing-wasm, the app's own decoder) reads from them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodePDFRawStream, PDFArray, PDFName, PDFNumber, PDFRawStream, type PDFDocument, type PDFPage } from 'pdf-lib';
import { prepareZXingModule, readBarcodes, type ReadResult } from 'zxing-wasm/reader';

const wasmPath = fileURLToPath(import.meta.resolve('zxing-wasm/reader/zxing_reader.wasm'));

/** Loads the decoder's WebAssembly from node_modules; call once before `read` (in a beforeAll). */
export async function prepareDecoder(): Promise<void> {
  await prepareZXingModule({ overrides: { wasmBinary: readFileSync(wasmPath).buffer as ArrayBuffer }, fireImmediately: true });
}

/** The strings each page draws (pdf-lib writes them as WinAnsi hex strings in `Tj`). */
export function pageText(page: PDFPage): string {
  const contents = page.node.Contents();
  const streams = contents instanceof PDFArray ? contents.asArray().map((ref) => page.doc.context.lookup(ref)) : [contents];
  const winAnsi = new TextDecoder('windows-1252');
  const shown: string[] = [];
  for (const stream of streams) {
    if (!(stream instanceof PDFRawStream)) continue;
    const ops = new TextDecoder('latin1').decode(decodePDFRawStream(stream).decode());
    for (const [, hex] of ops.matchAll(/<([0-9A-Fa-f]*)>\s*Tj/g)) shown.push(winAnsi.decode(Buffer.from(hex!, 'hex')));
  }
  return shown.join('\n');
}

/** Every image XObject in the file as ImageData, its alpha (SMask) laid over white. */
export function images(pdf: PDFDocument): ImageData[] {
  const streams = pdf.context
    .enumerateIndirectObjects()
    .map(([, object]) => object)
    .filter((object): object is PDFRawStream => object instanceof PDFRawStream && object.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'));
  const smasks = new Set(streams.flatMap((s) => {
    const ref = s.dict.get(PDFName.of('SMask'));
    return ref ? [pdf.context.lookup(ref)] : [];
  }));
  return streams.filter((s) => !smasks.has(s)).map((stream) => {
    const width = stream.dict.lookup(PDFName.of('Width'), PDFNumber).asNumber();
    const height = stream.dict.lookup(PDFName.of('Height'), PDFNumber).asNumber();
    const pixels = decodePDFRawStream(stream).decode();
    const channels = stream.dict.get(PDFName.of('ColorSpace')) === PDFName.of('DeviceRGB') ? 3 : 1;
    const maskRef = stream.dict.get(PDFName.of('SMask'));
    const mask = maskRef ? decodePDFRawStream(pdf.context.lookup(maskRef) as PDFRawStream).decode() : null;
    const rgba = new Uint8ClampedArray(width * height * 4);
    for (let i = 0; i < width * height; i++) {
      const alpha = mask ? mask[i]! / 255 : 1;
      for (let c = 0; c < 3; c++) rgba[i * 4 + c] = Math.round(pixels[i * channels + (channels === 3 ? c : 0)]! * alpha + 255 * (1 - alpha));
      rgba[i * 4 + 3] = 255;
    }
    return { width, height, data: rgba, colorSpace: 'srgb' } as ImageData;
  });
}

export async function read(image: ImageData | Uint8Array): Promise<ReadResult[]> {
  return readBarcodes(image, { formats: ['Code128'], textMode: 'Plain', tryHarder: true });
}

