// The camera ScannerSource: streams the back camera into a <video>, sends frames to the decode
// worker through the bridge, and emits each new code as a ScanEvent shaped like a wedge scan (AIM
// identifier in `raw`, GS1 separators kept as \x1d in `text`), so screens cannot tell them apart.
import { BrowserCodeReader } from '@zxing/browser';
import { bracketedElements, isGs1Symbology, parseGs1 } from '../../domain/gs1';
import { upcAToUpcE } from '../../domain/gtin';
import type { ScanEvent, ScanListener, ScannerSource } from '../types';
import type { DecodeResult } from './decode/decoder';
import { createDecodeBridge } from './decode-bridge';
import type { DecodeBridge } from './decode-bridge';
import { formatsFor, roiFor } from './roi';
import type { RoiShape } from './roi';

/** The resolution asked of the camera: enough for small 1D codes, light enough to decode often. */
export const IDEAL_WIDTH = 1280;
export const IDEAL_HEIGHT = 720;

/** Labels that mark a rear camera where the browser gives no facingMode. */
const BACK_CAMERA_LABEL = /back|rear|environment/i;

export type CameraProblem =
  /** The user or the browser's site settings refused the camera. */
  | 'denied'
  /** The device has no camera. */
  | 'no-camera'
  /** Another app (or tab) holds the camera. */
  | 'in-use'
  /** No camera API here: an insecure (http) origin or an old browser. */
  | 'unsupported'
  | 'failed';

export type CameraState =
  | { status: 'idle' }
  | { status: 'starting' }
  | {
      status: 'streaming';
      /** The cameras to switch between (labels known once permission is given). */
      cameras: MediaDeviceInfo[];
      deviceId: string | null;
      /** Null when this camera has no torch. */
      torch: boolean | null;
    }
  | { status: 'error'; problem: CameraProblem; message: string };

export interface CameraSource extends ScannerSource {
  readonly kind: 'camera';
  readonly state: CameraState;
  setTorch(on: boolean): Promise<void>;
  /** Moves to the next camera in the list. */
  switchCamera(): Promise<void>;
  setRoiShape(shape: RoiShape): void;
}

export interface CameraSourceOptions {
  video: HTMLVideoElement;
  onStateChange?: (state: CameraState) => void;
  /** Each decoded frame's timing, for diagnostics and benchmarks. */
  onFrameDecoded?: (decodeMs: number, hard: boolean) => void;
  bridge?: DecodeBridge;
  roiShape?: RoiShape;
}

/** What Chromium reports beyond TypeScript's lib.dom: focus modes and the torch. */
interface CameraCapabilities extends MediaTrackCapabilities {
  focusMode?: string[];
  torch?: boolean;
}

type CameraConstraintSet = MediaTrackConstraintSet & { focusMode?: string; torch?: boolean };

/**
 * A read as its label shows it: GS1 data as bracketed element strings, a UPC-E as its 8 digits
 * (engines hand it over expanded to a 13-digit GTIN), group separators made visible.
 */
export function shownText(result: Pick<DecodeResult, 'text' | 'format' | 'symbologyIdentifier'>): string {
  if (result.format === 'upc-e') return upcAToUpcE(result.text) ?? result.text;
  if (isGs1Symbology(result.symbologyIdentifier)) {
    const parsed = parseGs1(`${result.symbologyIdentifier}${result.text}`);
    if (parsed.ok) return bracketedElements(parsed);
  }
  return result.text.replaceAll('\x1d', '<GS>');
}

export function toScanEvent(result: DecodeResult, at = Date.now()): ScanEvent {
  const symbology = result.symbologyIdentifier;
  const event: ScanEvent = { raw: (symbology ?? '') + result.text, text: result.text, symbology, source: 'camera', at };
  const shown = shownText(result);
  return shown === result.text ? event : { ...event, shown };
}

export function problemOf(error: unknown): CameraProblem {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError':
      return 'denied';
    case 'NotFoundError':
    case 'DevicesNotFoundError':
    case 'OverconstrainedError':
      return 'no-camera';
    case 'NotReadableError':
    case 'TrackStartError':
    case 'AbortError':
      return 'in-use';
    case 'TypeError':
      return 'unsupported';
    default:
      return 'failed';
  }
}

function isBackCamera(device: MediaDeviceInfo): boolean {
  return BACK_CAMERA_LABEL.test(device.label);
}

function capabilitiesOf(track: MediaStreamTrack): CameraCapabilities {
  return typeof track.getCapabilities === 'function' ? (track.getCapabilities() as CameraCapabilities) : {};
}

function hasContinuousFocus(track: MediaStreamTrack): boolean {
  return capabilitiesOf(track).focusMode?.includes('continuous') ?? false;
}

function openCamera(deviceId: string | null): Promise<MediaStream> {
  const size = { width: { ideal: IDEAL_WIDTH }, height: { ideal: IDEAL_HEIGHT } };
  const video: MediaTrackConstraints = deviceId ? { deviceId: { exact: deviceId }, ...size } : { facingMode: { ideal: 'environment' }, ...size };
  return navigator.mediaDevices.getUserMedia({ video, audio: false });
}

function stopStream(stream: MediaStream | null): void {
  stream?.getTracks().forEach((track) => track.stop());
}

/**
 * Opens the preferred camera: the back one, and among several back ones (wide, ultra-wide, tele)
 * the first with continuous focus.
 */
async function openPreferred(): Promise<{ stream: MediaStream; cameras: MediaDeviceInfo[] }> {
  // Asking by facingMode first also gets the permission that labels the device list.
  let stream = await openCamera(null);
  const cameras = await BrowserCodeReader.listVideoInputDevices();
  const track = stream.getVideoTracks()[0];
  const facing = track?.getSettings().facingMode;
  const current = cameras.find((camera) => camera.deviceId === track?.getSettings().deviceId);
  let onBack = facing === 'environment' || (current ? isBackCamera(current) : false);
  if (track && onBack && hasContinuousFocus(track)) return { stream, cameras };
  for (const camera of cameras.filter(isBackCamera)) {
    if (camera.deviceId === current?.deviceId) continue;
    let candidate: MediaStream;
    try {
      candidate = await openCamera(camera.deviceId);
    } catch {
      continue;
    }
    const candidateTrack = candidate.getVideoTracks()[0];
    if (candidateTrack && (hasContinuousFocus(candidateTrack) || !onBack)) {
      stopStream(stream);
      stream = candidate;
      onBack = true;
      if (hasContinuousFocus(candidateTrack)) break;
    } else {
      stopStream(candidate);
    }
  }
  return { stream, cameras };
}

export function createCameraSource(options: CameraSourceOptions): CameraSource {
  const { video, onStateChange, onFrameDecoded } = options;
  const bridge = options.bridge ?? createDecodeBridge();
  let roiShape: RoiShape = options.roiShape ?? 'linear';
  let listener: ScanListener | null = null;
  let stream: MediaStream | null = null;
  let state: CameraState = { status: 'idle' };
  /** Aborted on stop: ends the frame loop and any decode in flight. */
  let running: AbortController | null = null;
  let cameras: MediaDeviceInfo[] = [];

  function setState(next: CameraState): void {
    state = next;
    onStateChange?.(next);
  }

  function track(): MediaStreamTrack | null {
    return stream?.getVideoTracks()[0] ?? null;
  }

  async function prepareTrack(current: MediaStreamTrack): Promise<void> {
    if (hasContinuousFocus(current)) {
      await current.applyConstraints({ advanced: [{ focusMode: 'continuous' } as CameraConstraintSet] }).catch(() => {});
    }
  }

  function streaming(torch: boolean | null): void {
    const current = track();
    setState({ status: 'streaming', cameras, deviceId: current?.getSettings().deviceId ?? null, torch });
  }

  async function attach(next: MediaStream, signal: AbortSignal): Promise<void> {
    stream = next;
    const current = track();
    if (current) await prepareTrack(current);
    video.srcObject = next;
    video.muted = true;
    video.playsInline = true;
    await video.play().catch(() => {});
    if (signal.aborted) return;
    streaming(current && capabilitiesOf(current).torch ? false : null);
    bridge.reset();
    loop(signal);
  }

  function loop(signal: AbortSignal): void {
    const schedule = (next: () => void) => {
      if (typeof video.requestVideoFrameCallback === 'function') video.requestVideoFrameCallback(next);
      else requestAnimationFrame(next);
    };
    const onFrame = () => {
      if (signal.aborted) return;
      schedule(onFrame);
      // A frame arriving while the last is decoding is skipped before it costs a copy.
      if (bridge.busy || video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA || !video.videoWidth) return;
      void grab(signal);
    };
    schedule(onFrame);
  }

  async function grab(signal: AbortSignal): Promise<void> {
    const { videoWidth: width, videoHeight: height } = video;
    try {
      const bitmap = await createImageBitmap(video);
      if (signal.aborted) {
        bitmap.close();
        return;
      }
      const outcome = await bridge.decode(bitmap, { roi: roiFor(roiShape, width, height), formats: formatsFor(roiShape), signal });
      if (outcome.status !== 'decoded' || signal.aborted) return;
      onFrameDecoded?.(outcome.decodeMs, outcome.hard);
      for (const result of outcome.results) listener?.(toScanEvent(result));
    } catch (error) {
      if (signal.aborted || (error instanceof DOMException && error.name === 'AbortError')) return;
      // One bad frame (a camera hiccup, a worker restart) is not worth stopping for.
      console.warn('Camera frame not decoded', error);
    }
  }

  async function open(deviceId: string | null): Promise<void> {
    running?.abort();
    stopStream(stream);
    stream = null;
    const controller = new AbortController();
    running = controller;
    setState({ status: 'starting' });
    if (!navigator.mediaDevices?.getUserMedia) {
      setState({ status: 'error', problem: 'unsupported', message: 'This browser gives no camera access here' });
      return;
    }
    try {
      let next: MediaStream;
      if (deviceId) next = await openCamera(deviceId);
      else ({ stream: next, cameras } = await openPreferred());
      if (controller.signal.aborted) {
        stopStream(next);
        return;
      }
      await attach(next, controller.signal);
    } catch (error) {
      if (controller.signal.aborted) return;
      setState({ status: 'error', problem: problemOf(error), message: error instanceof Error ? error.message : String(error) });
    }
  }

  return {
    kind: 'camera',
    get state() {
      return state;
    },
    async start(next) {
      const wasRunning = listener !== null;
      listener = next;
      if (!wasRunning) await open(null);
    },
    stop() {
      listener = null;
      running?.abort();
      running = null;
      stopStream(stream);
      stream = null;
      video.srcObject = null;
      bridge.terminate();
      if (state.status !== 'idle') setState({ status: 'idle' });
    },
    async setTorch(on) {
      const current = track();
      if (!current || !capabilitiesOf(current).torch) return;
      await current.applyConstraints({ advanced: [{ torch: on } as CameraConstraintSet] });
      streaming(on);
    },
    async switchCamera() {
      if (cameras.length < 2) return;
      const currentId = track()?.getSettings().deviceId;
      const index = cameras.findIndex((camera) => camera.deviceId === currentId);
      const next = cameras[(index + 1) % cameras.length];
      if (next) await open(next.deviceId);
    },
    setRoiShape(shape) {
      roiShape = shape;
    },
  };
}
