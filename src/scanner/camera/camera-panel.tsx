// The camera scanner: a dialog with the live picture, the region searched drawn over it (a wide
// band for 1D codes, a square for 2D), torch and camera switch where the device has them, and a
// plain-words state when the camera cannot be used. Lazy-loaded: the decoder and its .wasm arrive
// only when a user first opens it. The camera is released when the page is hidden or the panel
// closes.
import { useEffect, useRef, useState } from 'react';
import type { CSSProperties, KeyboardEvent } from 'react';
import type { ScanEvent } from '../types';
import { createCameraSource } from './camera-source';
import type { CameraProblem, CameraSource, CameraState } from './camera-source';
import { roiFor } from './roi';
import type { RoiShape } from './roi';
import './camera-panel.css';

export interface CameraPanelProps {
  /** Every new code the camera reads, as a ScanEvent with source 'camera'. */
  onScan: (event: ScanEvent) => void;
  onClose: () => void;
}

const PROBLEM_TEXT: Record<CameraProblem, string> = {
  denied: "Camera permission is blocked: allow it in the browser's site settings, or use the Scan field",
  'no-camera': 'No camera was found on this device: use the Scan field',
  'in-use': 'The camera is in use by another app: close that app and try again, or use the Scan field',
  unsupported: 'This browser cannot use the camera here (it needs a secure https connection): use the Scan field',
  failed: 'The camera could not start: try again, or use the Scan field',
};

/** Problems another attempt may fix. */
const RETRYABLE = new Set<CameraProblem>(['in-use', 'failed']);

function roiStyle(shape: RoiShape, width: number, height: number): CSSProperties {
  const roi = roiFor(shape, width, height);
  const percent = (value: number, of: number) => `${(value / of) * 100}%`;
  return { left: percent(roi.x, width), top: percent(roi.y, height), width: percent(roi.width, width), height: percent(roi.height, height) };
}

export default function CameraPanel({ onScan, onClose }: CameraPanelProps) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const sourceRef = useRef<CameraSource | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);
  const onScanRef = useRef(onScan);
  const [state, setState] = useState<CameraState>({ status: 'starting' });
  const [shape, setShape] = useState<RoiShape>('linear');
  const [videoSize, setVideoSize] = useState({ width: 16, height: 9 });
  const [lastRead, setLastRead] = useState<string | null>(null);

  useEffect(() => {
    onScanRef.current = onScan;
  });

  /** Every read goes to the screen, and is shown under the picture as its label reads. */
  const listenerRef = useRef((event: ScanEvent) => {
    setLastRead(event.shown ?? event.text);
    onScanRef.current(event);
  });

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const source = createCameraSource({ video, onStateChange: setState });
    sourceRef.current = source;
    const listener = listenerRef.current;
    void source.start(listener);
    // A hidden page (screen off, app switched) gives the camera back; it reopens when shown.
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') source.stop();
      else void source.start(listener);
    };
    document.addEventListener('visibilitychange', onVisibility);
    closeRef.current?.focus();
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      source.stop();
      sourceRef.current = null;
    };
  }, []);

  useEffect(() => {
    sourceRef.current?.setRoiShape(shape);
  }, [shape]);

  function retry() {
    const source = sourceRef.current;
    if (!source) return;
    source.stop();
    void source.start(listenerRef.current);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      onClose();
    }
  }

  const streaming = state.status === 'streaming' ? state : null;

  return (
    <div className="camera-panel" role="dialog" aria-modal="true" aria-labelledby="camera-panel-title" onKeyDown={onKeyDown}>
      <div className="camera-panel-header">
        <h2 id="camera-panel-title" className="camera-panel-title">
          Camera scanner
        </h2>
        <button ref={closeRef} type="button" className="button" onClick={onClose}>
          Close camera
        </button>
      </div>

      {state.status === 'error' && (
        <p className="camera-message camera-message-error" role="alert">
          {PROBLEM_TEXT[state.problem]}
        </p>
      )}
      {state.status === 'starting' && (
        <p className="camera-message" role="status">
          Starting the camera…
        </p>
      )}

      <div className="camera-view" hidden={state.status === 'error'}>
        <div className="camera-view-clip">
          <video
            ref={videoRef}
            muted
            playsInline
            aria-label="Camera picture"
            onLoadedMetadata={(event) => {
              const { videoWidth, videoHeight } = event.currentTarget;
              if (videoWidth && videoHeight) setVideoSize({ width: videoWidth, height: videoHeight });
            }}
          />
          <div className="camera-roi" data-shape={shape} style={roiStyle(shape, videoSize.width, videoSize.height)} />
        </div>
      </div>

      <div className="camera-controls">
        {state.status === 'error' && RETRYABLE.has(state.problem) && (
          <button type="button" className="button button-primary" onClick={retry}>
            Try again
          </button>
        )}
        {streaming && (
          <button
            type="button"
            className="button"
            aria-pressed={shape === 'matrix'}
            onClick={() => setShape(shape === 'linear' ? 'matrix' : 'linear')}
          >
            Square for 2D codes
          </button>
        )}
        {streaming && streaming.torch !== null && (
          <button type="button" className="button" aria-pressed={streaming.torch} onClick={() => void sourceRef.current?.setTorch(!streaming.torch)}>
            Torch
          </button>
        )}
        {streaming && streaming.cameras.length > 1 && (
          <button type="button" className="button" onClick={() => void sourceRef.current?.switchCamera()}>
            Switch camera
          </button>
        )}
      </div>

      <p className="camera-last-read" aria-live="polite">
        {lastRead ? (
          <>
            Read{' '}
            {/* A long GS1 read wraps between its elements, never inside one. */}
            {lastRead.split(/(?=\()/).map((part, i) => (
              <span key={i} className="camera-last-read-part">
                {part}
                <wbr />
              </span>
            ))}
          </>
        ) : streaming ? (
          'Hold the code inside the frame'
        ) : (
          ''
        )}
      </p>
    </div>
  );
}
