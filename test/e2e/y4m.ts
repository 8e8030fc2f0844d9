// Fake-camera footage for Chromium (`--use-file-for-fake-video-capture=x.y4m`): writes RGBA frames
// as a Y4M (I420) file, decodes the PNGs bwip-js renders, and places a barcode on a camera-sized
// frame. Node only, no dependencies.
import { writeFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

export interface RgbaFrame {
  width: number;
  height: number;
  /** width × height × 4 bytes, row by row. */
  rgba: Uint8Array | Uint8ClampedArray;
}

/** BT.601 limited-range Y′CbCr of one RGB pixel, as Chromium's fake capture expects. */
function yuv(r: number, g: number, b: number): [number, number, number] {
  const y = 16 + (65.738 * r + 129.057 * g + 25.064 * b) / 256;
  const u = 128 + (-37.945 * r - 74.494 * g + 112.439 * b) / 256;
  const v = 128 + (112.439 * r - 94.154 * g - 18.285 * b) / 256;
  return [Math.round(y), Math.round(u), Math.round(v)];
}

/** The I420 planes of one frame; width and height must be even. */
function toI420({ width, height, rgba }: RgbaFrame): Buffer {
  const ySize = width * height;
  const cSize = (width / 2) * (height / 2);
  const out = Buffer.alloc(ySize + 2 * cSize);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const i = (row * width + col) * 4;
      out[row * width + col] = yuv(rgba[i]!, rgba[i + 1]!, rgba[i + 2]!)[0];
    }
  }
  for (let row = 0; row < height / 2; row++) {
    for (let col = 0; col < width / 2; col++) {
      let u = 0;
      let v = 0;
      for (const [dy, dx] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) {
        const i = ((row * 2 + dy) * width + col * 2 + dx) * 4;
        const [, cu, cv] = yuv(rgba[i]!, rgba[i + 1]!, rgba[i + 2]!);
        u += cu;
        v += cv;
      }
      out[ySize + row * (width / 2) + col] = Math.round(u / 4);
      out[ySize + cSize + row * (width / 2) + col] = Math.round(v / 4);
    }
  }
  return out;
}

/** Writes `frames` (all the same even size) as a Y4M file Chromium loops as its fake camera. */
export function writeY4m(path: string, frames: RgbaFrame[], fps: number): void {
  const first = frames[0];
  if (!first) throw new Error('writeY4m needs at least one frame');
  const { width, height } = first;
  if (width % 2 || height % 2) throw new Error('Y4M I420 frames need an even width and height');
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420\n`)];
  for (const frame of frames) {
    if (frame.width !== width || frame.height !== height) throw new Error('All Y4M frames must be the same size');
    parts.push(Buffer.from('FRAME\n'), toI420(frame));
  }
  writeFileSync(path, Buffer.concat(parts));
}

/** Decodes an 8-bit, non-interlaced PNG (what bwip-js writes) to RGBA. */
export function decodePng(png: Uint8Array): RgbaFrame {
  const buf = Buffer.from(png);
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('Not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  let palette: Buffer | null = null;
  let transparency: Buffer | null = null;
  const idat: Buffer[] = [];
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('latin1', offset + 4, offset + 8);
    const data = buf.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      colorType = data[9]!;
      if (data[8] !== 8 || data[12] !== 0) throw new Error('Only 8-bit non-interlaced PNGs are supported');
    } else if (type === 'PLTE') palette = data;
    else if (type === 'tRNS') transparency = data;
    else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colorType];
  if (!channels) throw new Error(`Unsupported PNG colour type ${colorType}`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (stride + 1)]!;
    const line = raw.subarray(row * (stride + 1) + 1, (row + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const left = i >= channels ? pixels[row * stride + i - channels]! : 0;
      const up = row > 0 ? pixels[(row - 1) * stride + i]! : 0;
      const upLeft = row > 0 && i >= channels ? pixels[(row - 1) * stride + i - channels]! : 0;
      let predictor = 0;
      if (filter === 1) predictor = left;
      else if (filter === 2) predictor = up;
      else if (filter === 3) predictor = (left + up) >> 1;
      else if (filter === 4) {
        const p = left + up - upLeft;
        const pa = Math.abs(p - left);
        const pb = Math.abs(p - up);
        const pc = Math.abs(p - upLeft);
        predictor = pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      }
      pixels[row * stride + i] = (line[i]! + predictor) & 0xff;
    }
  }
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    const s = p * channels;
    let rgb: [number, number, number, number];
    if (colorType === 0) rgb = [pixels[s]!, pixels[s]!, pixels[s]!, 255];
    else if (colorType === 4) rgb = [pixels[s]!, pixels[s]!, pixels[s]!, pixels[s + 1]!];
    else if (colorType === 2) rgb = [pixels[s]!, pixels[s + 1]!, pixels[s + 2]!, 255];
    else if (colorType === 6) rgb = [pixels[s]!, pixels[s + 1]!, pixels[s + 2]!, pixels[s + 3]!];
    else {
      const index = pixels[s]!;
      const entry = palette ? [palette[index * 3]!, palette[index * 3 + 1]!, palette[index * 3 + 2]!] : [0, 0, 0];
      rgb = [entry[0]!, entry[1]!, entry[2]!, transparency?.[index] ?? 255];
    }
    // Composite on white: a transparent background is paper, not ink.
    const alpha = rgb[3] / 255;
    rgba[p * 4] = Math.round(rgb[0] * alpha + 255 * (1 - alpha));
    rgba[p * 4 + 1] = Math.round(rgb[1] * alpha + 255 * (1 - alpha));
    rgba[p * 4 + 2] = Math.round(rgb[2] * alpha + 255 * (1 - alpha));
    rgba[p * 4 + 3] = 255;
  }
  return { width, height, rgba };
}

/** A `width`×`height` frame of `background` grey with `image` centred on it (cropped if larger). */
export function placeOnFrame(image: RgbaFrame | null, width: number, height: number, background = 255): RgbaFrame {
  const rgba = new Uint8ClampedArray(width * height * 4).fill(background);
  if (image) {
    const left = Math.floor((width - image.width) / 2);
    const top = Math.floor((height - image.height) / 2);
    for (let row = 0; row < image.height; row++) {
      const y = top + row;
      if (y < 0 || y >= height) continue;
      for (let col = 0; col < image.width; col++) {
        const x = left + col;
        if (x < 0 || x >= width) continue;
        const from = (row * image.width + col) * 4;
        const to = (y * width + x) * 4;
        rgba[to] = image.rgba[from]!;
        rgba[to + 1] = image.rgba[from + 1]!;
        rgba[to + 2] = image.rgba[from + 2]!;
      }
    }
  }
  return { width, height, rgba };
}
