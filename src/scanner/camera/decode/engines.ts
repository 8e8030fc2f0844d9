// Loads a barcode engine by name. Each engine is its own chunk: the worker loads only the one it uses.
import type { Decoder, EngineName } from './decoder';

export async function loadDecoder(name: EngineName): Promise<Decoder> {
  let decoder: Decoder;
  switch (name) {
    case 'zxing-wasm':
      decoder = (await import('./zxing-wasm')).createZxingWasmDecoder();
      break;
    case 'native':
      decoder = (await import('./native')).createNativeDecoder();
      break;
    case 'zxing-js':
      decoder = (await import('./zxing-js')).createZxingJsDecoder();
      break;
  }
  await decoder.ready();
  return decoder;
}
