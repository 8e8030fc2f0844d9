// Uploads damage photos (db.photos) to POST /api/photos, one at a time, oldest first, beside the
// sync engine and never in its way: photos live in their own table, so uploading never holds a
// transaction a scan needs. Runs after every completed sync, when the device comes online and when
// a new photo is stored; a failure backs off with jitter. The server stores each photo once per
// mutation, so a retry after a lost answer is harmless.
import { liveQuery, type Observable } from 'dexie';
import type { DockhandDb, Photo, StoredSession } from '../storage/db';
import { ApiError } from './api-client';
import { BackgroundSender, type BackgroundSenderOptions } from './background-sender';
import { photoEndpoint, PHOTO_TIMEOUT_MS } from './endpoints';
import { runPerSession } from './per-session';

/** First retry delay after a failed upload; doubles per failure up to `PHOTO_BACKOFF_CAP_MS`. */
export const PHOTO_BACKOFF_BASE_MS = 5_000;
export const PHOTO_BACKOFF_CAP_MS = 5 * 60_000;
export { PHOTO_TIMEOUT_MS };

export type PhotoUploaderOptions = BackgroundSenderOptions;

/** Answers a retry would get again. */
const REFUSED_FOR_GOOD: ReadonlySet<number> = new Set([400, 404, 409, 413]);

export type UploadRound = { uploaded: number; failed: boolean };

/** Photos still to send, oldest first; ones the server refused for good are left for a person. */
function waiting(db: DockhandDb): Promise<Photo[]> {
  return db.photos.where('uploaded').equals(0).filter((photo) => !photo.refused).sortBy('takenAt');
}

export class PhotoUploader extends BackgroundSender<UploadRound> {
  constructor(options: PhotoUploaderOptions) {
    super(options, { baseMs: PHOTO_BACKOFF_BASE_MS, capMs: PHOTO_BACKOFF_CAP_MS, jitter: 'full' });
  }

  protected watch() {
    return liveQuery(() => this.db.photos.where('uploaded').equals(0).count());
  }

  protected isNews(count: unknown): boolean {
    return (count as number) > 0;
  }

  protected merge(total: UploadRound | null, next: UploadRound): UploadRound {
    return total ? { uploaded: total.uploaded + next.uploaded, failed: next.failed } : next;
  }

  /** Sends every waiting photo; stops at the first failure and schedules a retry. Never throws. */
  uploadPending(): Promise<UploadRound> {
    return this.run();
  }

  protected async round(): Promise<{ result: UploadRound; waiting: boolean }> {
    let uploaded = 0;
    try {
      for (const photo of await waiting(this.db)) {
        if (this.stopped) break;
        const outcome = await this.send(photo);
        if (outcome === 'retry') return { result: { uploaded, failed: true }, waiting: true };
        if (outcome === 'sent') uploaded += 1;
      }
    } catch (error) {
      console.error('Photo upload failed', error);
      return { result: { uploaded, failed: true }, waiting: true };
    }
    return { result: { uploaded, failed: false }, waiting: false };
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
