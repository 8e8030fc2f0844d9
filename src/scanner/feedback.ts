// What the user hears, feels and sees after every scan: a short high beep for success, a low
// double buzz for an error, a vibration where the device has one, and a green or red flash.
import type { ScanOutcome } from './types';

/** How long the scan field's container keeps its success/error colour. */
export const FLASH_MS = 300;

/** Vibration patterns (ms on, off, on): one tap for success, two long pulses for an error. */
const VIBRATION: Record<ScanOutcome, number[]> = { success: [40], error: [150, 80, 150] };

interface Tone {
  frequency: number;
  type: OscillatorType;
  /** Seconds from now. */
  start: number;
  duration: number;
}

const TONES: Record<ScanOutcome, Tone[]> = {
  success: [{ frequency: 1760, type: 'sine', start: 0, duration: 0.08 }],
  error: [
    { frequency: 180, type: 'square', start: 0, duration: 0.16 },
    { frequency: 180, type: 'square', start: 0.24, duration: 0.16 },
  ],
};

const FLASH_CLASS: Record<ScanOutcome, string> = { success: 'scan-flash-success', error: 'scan-flash-error' };

type AudioContextConstructor = new () => AudioContext;

let audio: AudioContext | null | undefined;

/** The shared AudioContext, or null where the platform has none (jsdom, locked-down browsers). */
function audioContext(): AudioContext | null {
  if (audio !== undefined) return audio;
  const Ctor = (globalThis as { AudioContext?: AudioContextConstructor; webkitAudioContext?: AudioContextConstructor })
    .AudioContext ?? (globalThis as { webkitAudioContext?: AudioContextConstructor }).webkitAudioContext;
  try {
    audio = Ctor ? new Ctor() : null;
  } catch {
    audio = null;
  }
  return audio;
}

function playTones(outcome: ScanOutcome): void {
  const ctx = audioContext();
  if (!ctx) return;
  try {
    // Browsers start the context suspended until a user gesture; a scan's keydown is one.
    if (ctx.state === 'suspended') void ctx.resume();
    for (const tone of TONES[outcome]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      const t0 = ctx.currentTime + tone.start;
      osc.type = tone.type;
      osc.frequency.value = tone.frequency;
      gain.gain.setValueAtTime(0.25, t0);
      gain.gain.exponentialRampToValueAtTime(0.001, t0 + tone.duration);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0);
      osc.stop(t0 + tone.duration);
    }
  } catch {
    // Sound is a courtesy: the colour and the on-screen message still tell the user.
  }
}

function vibrate(outcome: ScanOutcome): void {
  if (typeof navigator !== 'undefined' && typeof navigator.vibrate === 'function') {
    try {
      navigator.vibrate(VIBRATION[outcome]);
    } catch {
      // Some browsers refuse without a recent user gesture.
    }
  }
}

const flashTimers = new WeakMap<HTMLElement, ReturnType<typeof setTimeout>>();

function flash(element: HTMLElement, outcome: ScanOutcome): void {
  clearTimeout(flashTimers.get(element));
  const again = element.classList.contains(FLASH_CLASS[outcome]);
  element.classList.remove(FLASH_CLASS.success, FLASH_CLASS.error);
  // The same outcome twice within one flash: reading layout restarts its transition. Only then,
  // since it lays out the page before the frame that shows the outcome would.
  if (again) void element.offsetWidth;
  element.classList.add(FLASH_CLASS[outcome]);
  flashTimers.set(
    element,
    setTimeout(() => element.classList.remove(FLASH_CLASS[outcome]), FLASH_MS),
  );
}

/** Signals a scan's outcome; `flashTarget` is the element that changes colour (the field's container). */
export function scanFeedback(outcome: ScanOutcome, flashTarget?: HTMLElement | null): void {
  playTones(outcome);
  vibrate(outcome);
  if (flashTarget) flash(flashTarget, outcome);
}
