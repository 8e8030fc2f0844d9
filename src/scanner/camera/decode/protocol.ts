// Messages between the page's decode bridge and the decode worker.
import type { DecodeResult, EngineName, WarehouseFormat } from './decoder';
import type { Rect } from './frame-image';

export interface FrameRequest {
  type: 'frame';
  /** Echoed in the reply, so the bridge can match it to the frame it sent. */
  id: number;
  /** Transferred: the page no longer holds it. */
  image: ImageBitmap | ImageData;
  /** The part of `image` to search, in its pixels; null for the whole image. */
  roi: Rect | null;
  formats: readonly WarehouseFormat[];
  /** The engine to use; the worker falls back to zxing-js when it cannot load this one. */
  engine: EngineName;
}

/** Forget what was reported: the next sighting of any code is new (another camera, the panel reopened). */
export interface ResetRequest {
  type: 'reset';
}

export type WorkerRequest = FrameRequest | ResetRequest;

export interface FrameReply {
  type: 'frame';
  id: number;
  /** Codes first seen in this frame (after check-digit filtering and de-duplication), in frame coordinates. */
  results: DecodeResult[];
  /** The engine that decoded the frame. */
  engine: EngineName;
  /** Whether this was the periodic harder pass. */
  hard: boolean;
  /** Time spent on the frame in the worker: pixels read, decoded, filtered. */
  decodeMs: number;
}

export interface ErrorReply {
  type: 'error';
  id: number;
  message: string;
}

export type WorkerReply = FrameReply | ErrorReply;
