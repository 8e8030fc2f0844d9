// The submission worker: decides and commits the device's mutations away from the page's main
// thread, where the frame that follows a scan's keystrokes holds back IndexedDB's replies. All the
// work is in src/storage/submit-host.ts; the page's side is src/storage/submit-bridge.ts.
import { serveSubmissions } from '../src/storage/submit-host';

declare const self: DedicatedWorkerGlobalScope;

serveSubmissions(self);
