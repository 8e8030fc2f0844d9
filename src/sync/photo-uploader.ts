// Uploads damage photos (db.photos) to POST /api/photos, one at a time, oldest first, beside the
// sync engine and never in its way: photos live in their own table, so uploading never holds a
// transaction a scan needs. Runs after every completed sync, when the device comes online and when
// a new photo is stored; a failure backs off with jitter. The server stores each photo once per
// mutation, so a retry after a lost answer is harmless.
import { liveQuery, type Observable, type Subscription } from 'dexie';
import type { DockhandDb, Photo, StoredSession } from '../storage/db';
import { ApiError, createApiClient, type ApiClient } from './api-client';
import { browserOnline, type Clock, type OnlineSource } from './engine';
import { photoEndpoint, PHOTO_TIMEOUT_MS } from './endpoints';
import { useSyncStatus, type SyncStatusStore } from './status-store';
import { runPerSession } from './per-session';

/** First retry delay after a failed upload; doubles per failure up to `PHOTO_BACKOFF_CAP_MS`. */
export const PHOTO_BACKOFF_BASE_MS = 5_000;
export const PHOTO_BACKOFF_CAP_MS = 5 * 60_000;
export { PHOTO_TIMEOUT_MS };

export interface PhotoUploaderOptions {
  db: DockhandDb;
  /** The session's bearer token. */
  token: string;
  fetch?: typeof fetch;
  baseUrl?: string;
  online?: OnlineSource;
  clock?: Clock;
  random?: () => number;
  /** Completed syncs (its `lastSyncAt`) trigger an upload round. */
  status?: SyncStatusStore;
}

/** Answers a retry would get again. */
const REFUSED_FOR_GOOD: ReadonlySet<number> = new Set([400, 404, 409, 413]);

export type UploadRound = { uploaded: number; failed: boolean };

const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => globalThis.setTimeout(run, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Photos still to send, oldest first; ones the server refused for good are left for a person. */
function waiting(db: DockhandDb): Promise<Photo[]> {
  return db.photos.where('uploaded').equals(0).filter((photo) => !photo.refused).sortBy('takenAt');
}

export class PhotoUploader {
  private readonly db: DockhandDb;
  private readonly token: string;
  private readonly api: ApiClient;
  private readonly online: OnlineSource;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly status: SyncStatusStore;
  private running: Promise<UploadRound> | null = null;
  private failures = 0;
  private timer: unknown = null;
  private stopped = false;
  private signedOut = false;
  private cleanups: (() => void)[] = [];

  constructor(options: PhotoUploaderOptions) {
    this.db = options.db;
    this.token = options.token;
    this.api = createApiClient({ fetch: options.fetch, baseUrl: options.baseUrl });
    this.online = options.online ?? browserOnline;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.status = options.status ?? useSyncStatus;
  }

  start(): void {
    this.cleanups.push(
      this.online.subscribe((online) => {
        if (online) this.request();
      }),
      this.status.subscribe((state, previous) => {
        if (state.lastSyncAt !== previous.lastSyncAt) this.request();
      }),
    );
    const subscription: Subscription = liveQuery(() => this.db.photos.where('uploaded').equals(0).count()).subscribe({
      next: (count) => {
        if (count > 0) this.request();
      },
      error: (error: unknown) => console.error('Could not count the photos to upload', error),
    });
    this.cleanups.push(() => subscription.unsubscribe());
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
  }

  /** Asks for an upload round; ignored while one runs or a backoff waits. */
  request(): void {
    if (this.stopped || this.signedOut || this.running || this.timer !== null) return;
    if (!this.online.isOnline()) return;
    void this.uploadPending();
  }

  /** Sends every waiting photo; stops at the first failure and schedules a retry. Never throws. */
  uploadPending(): Promise<UploadRound> {
    this.running ??= this.round().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async round(): Promise<UploadRound> {
    let uploaded = 0;
    try {
      for (const photo of await waiting(this.db)) {
        if (this.stopped) break;
        const outcome = await this.send(photo);
        if (outcome === 'retry') return this.failed(uploaded);
        if (outcome === 'sent') uploaded += 1;
      }
    } catch (error) {
      console.error('Photo upload failed', error);
      return this.failed(uploaded);
    }
    this.failures = 0;
    return { uploaded, failed: false };
  }

  private failed(uploaded: number): UploadRound {
    if (this.stopped || this.signedOut) return { uploaded, failed: true };
    this.failures += 1;
    const ceiling = Math.min(PHOTO_BACKOFF_CAP_MS, PHOTO_BACKOFF_BASE_MS * 2 ** (this.failures - 1));
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.request();
    }, Math.floor(this.random() * ceiling));
    return { uploaded, failed: true };
  }

  /** One upload: the server has it, refused it for good, or it is to be tried again later. */
  private async send(photo: Photo): Promise<'sent' | 'refused' | 'retry'> {
    if (!photo.blob) {
      await this.db.photos.update(photo.mutationId, { uploaded: 1 });
      return 'sent';
    }
    let refusedWith: number | undefined;
    try {
      const stored = await this.api.request(photoEndpoint, {
        token: this.token,
        query: { mutationId: photo.mutationId, receiptId: photo.receiptId },
        body: photo.blob,
        headers: { 'content-type': photo.type },
      });
      // Only the protocol's own answer for this photo counts: a captive portal's 200 page is no receipt.
      if (stored.mutationId === photo.mutationId) {
        await this.db.photos.update(photo.mutationId, { uploaded: 1, blob: null });
        return 'sent';
      }
    } catch (caught) {
      if (caught instanceof ApiError && caught.kind === 'unauthorized') {
        // The session ended: nothing more until the user signs in again (a new uploader).
        this.signedOut = true;
        return 'retry';
      }
      if (caught instanceof ApiError && caught.kind !== 'protocol') refusedWith = caught.status;
    }
    // Permanent answers: a retry would get the same. 404 is a photo whose mutation the server holds
    // from another device or user, or a receipt this user cannot see.
    if (refusedWith !== undefined && REFUSED_FOR_GOOD.has(refusedWith)) {
      await this.db.photos.update(photo.mutationId, { refused: `The server refused this photo (HTTP ${refusedWith}).`, attempts: photo.attempts + 1 });
      return 'refused';
    }
    await this.db.photos.update(photo.mutationId, { attempts: photo.attempts + 1 });
    return 'retry';
  }
}

/**
 * Keeps one uploader running for the stored session until the returned function is called, the
 * way `bindSyncToSession` keeps the sync engine.
 */
export function bindPhotoUploader(
  db: DockhandDb,
  session: Observable<StoredSession | null>,
  options: Omit<PhotoUploaderOptions, 'db' | 'token'> = {},
): () => void {
  return runPerSession(session, 'photo uploads', (token) => new PhotoUploader({ ...options, db, token }), () => undefined);
}
