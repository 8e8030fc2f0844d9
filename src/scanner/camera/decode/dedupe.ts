// A code held in front of the camera is in every frame: it is reported once, and again only after
// it has left the picture. "Left" is counted in decoded frames and in time, so a slow device (few
// frames) and a fast one (many frames, some of them missed by the fast pass) behave alike.

/** Decoded frames in a row without a value after which it counts as gone (about half a second at 30 fps). */
export const ABSENT_FRAMES = 15;

/** Time since a value was last seen after which it counts as gone, however few frames were decoded. */
export const ABSENT_MS = 1500;

export interface DeduperOptions {
  absentFrames?: number;
  absentMs?: number;
  /** Injectable clock, for tests. */
  now?: () => number;
}

export interface Deduper {
  /** Takes the keys seen in one decoded frame; returns those to report (first sighting since they left). */
  frame(keys: readonly string[]): string[];
  /** Forgets everything: the next sighting of any value is reported. */
  reset(): void;
}

interface Sighting {
  lastSeenAt: number;
  /** Decoded frames since the last one that held the value. */
  missedFrames: number;
}

export function createDeduper(options: DeduperOptions = {}): Deduper {
  const { absentFrames = ABSENT_FRAMES, absentMs = ABSENT_MS, now = Date.now } = options;
  const seen = new Map<string, Sighting>();

  return {
    frame(keys) {
      const at = now();
      const present = new Set(keys);
      for (const [key, sighting] of seen) {
        if (present.has(key)) continue;
        sighting.missedFrames += 1;
        if (sighting.missedFrames >= absentFrames || at - sighting.lastSeenAt >= absentMs) seen.delete(key);
      }
      const fresh: string[] = [];
      for (const key of present) {
        const sighting = seen.get(key);
        // A value last seen long ago (the worker was idle, frames were dropped) is a new scan.
        if (!sighting || at - sighting.lastSeenAt >= absentMs) fresh.push(key);
        seen.set(key, { lastSeenAt: at, missedFrames: 0 });
      }
      return fresh;
    },
    reset() {
      seen.clear();
    },
  };
}
