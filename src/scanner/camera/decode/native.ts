// The browser's own BarcodeDetector (Chrome on Android and macOS): used where it reports the
// warehouse formats. It gives no symbology identifier, so GS1 data is known only by its content.
import type { Corners, DecodeResult, Decoder, WarehouseFormat } from './decoder';

/** The Shape Detection API as far as we use it; TypeScript's DOM and WebWorker libs lack it. */
interface DetectedBarcode {
  rawValue: string;
  format: string;
  cornerPoints: ReadonlyArray<{ x: number; y: number }>;
}

interface BarcodeDetectorInstance {
  detect(image: ImageBitmapSource): Promise<DetectedBarcode[]>;
}

interface BarcodeDetectorClass {
  new (options?: { formats: string[] }): BarcodeDetectorInstance;
  getSupportedFormats(): Promise<string[]>;
}

const NATIVE_FORMATS: Record<WarehouseFormat, string | null> = {
  'ean-13': 'ean_13',
  'ean-8': 'ean_8',
  'upc-a': 'upc_a',
  'upc-e': 'upc_e',
  'code-128': 'code_128',
  'code-39': 'code_39',
  itf: 'itf',
  // The Shape Detection API names no DataBar format.
  databar: null,
  'databar-expanded': null,
  datamatrix: 'data_matrix',
  qr: 'qr_code',
  pdf417: 'pdf417',
};

const FROM_NATIVE = new Map(
  Object.entries(NATIVE_FORMATS).flatMap(([ours, native]) => (native ? [[native, ours as WarehouseFormat]] : [])),
);

/** The formats BarcodeDetector must report before it is used: the common warehouse ones. */
const REQUIRED_NATIVE = ['ean_13', 'code_128', 'data_matrix', 'qr_code'];

function detectorClass(): BarcodeDetectorClass | undefined {
  return (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
}

/** True when this browser has a BarcodeDetector reporting the common warehouse formats. */
export async function nativeDetectorAvailable(): Promise<boolean> {
  const Detector = detectorClass();
  if (!Detector) return false;
  try {
    const supported = await Detector.getSupportedFormats();
    return REQUIRED_NATIVE.every((format) => supported.includes(format));
  } catch {
    return false;
  }
}

export function createNativeDecoder(): Decoder {
  let detector: BarcodeDetectorInstance | null = null;
  let supported: string[] = [];
  let formatsKey = '';
  let loading: Promise<void> | null = null;

  async function load(): Promise<void> {
    const Detector = detectorClass();
    if (!Detector || !(await nativeDetectorAvailable())) throw new Error('BarcodeDetector does not read the warehouse formats here');
    supported = await Detector.getSupportedFormats();
  }

  return {
    name: 'native',
    ready() {
      loading ??= load();
      return loading;
    },
    async decode(image, opts) {
      await this.ready();
      const wanted = opts.formats.flatMap((format) => {
        const native = NATIVE_FORMATS[format];
        return native && supported.includes(native) ? [native] : [];
      });
      const key = wanted.join();
      if (!detector || key !== formatsKey) {
        const Detector = detectorClass()!;
        detector = new Detector({ formats: wanted });
        formatsKey = key;
      }
      const found = await detector.detect(image);
      return found.flatMap((barcode): DecodeResult[] => {
        const format = FROM_NATIVE.get(barcode.format);
        const [a, b, c, d] = barcode.cornerPoints;
        if (!format) return [];
        const position: Corners | undefined = a && b && c && d ? [a, b, c, d] : undefined;
        return [{ text: barcode.rawValue, format, symbologyIdentifier: null, position }];
      });
    },
  };
}
