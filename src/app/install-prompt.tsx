// "Install" for browsers that offer it (Chrome and Edge fire beforeinstallprompt), and a short
// add-to-home-screen hint on iOS Safari, which has no install prompt.
import { useState, useSyncExternalStore } from 'react';

/** Chromium's install prompt event; not in TypeScript's DOM library. */
interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed'; platform: string }>;
}

let deferred: BeforeInstallPromptEvent | null = null;
const listeners = new Set<() => void>();

function setDeferred(event: BeforeInstallPromptEvent | null): void {
  deferred = event;
  for (const listener of listeners) listener();
}

// Listening from module load: the event can fire before React has rendered anything.
if (typeof window !== 'undefined') {
  window.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault();
    setDeferred(event as BeforeInstallPromptEvent);
  });
  window.addEventListener('appinstalled', () => setDeferred(null));
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function isStandalone(): boolean {
  return (
    window.matchMedia?.('(display-mode: standalone)').matches === true ||
    (navigator as Navigator & { standalone?: boolean }).standalone === true
  );
}

function isIosSafari(): boolean {
  const ua = navigator.userAgent;
  // iPadOS reports itself as a Mac; only the touch screen gives it away.
  const ios = /iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1);
  // Other iOS browsers (CriOS, FxiOS, EdgiOS) cannot add to the home screen the same way.
  return ios && /Safari/.test(ua) && !/CriOS|FxiOS|EdgiOS/.test(ua);
}

export function InstallPrompt() {
  const event = useSyncExternalStore(subscribe, () => deferred, () => null);
  const [hintDismissed, setHintDismissed] = useState(false);

  if (event) {
    return (
      <div className="banner banner-info">
        <span>Install Dockhand on this device for full-screen, offline use.</span>
        <button
          type="button"
          className="button button-primary"
          onClick={async () => {
            await event.prompt();
            await event.userChoice;
            // The event can be used once; Chrome fires a fresh one if the user may be asked again.
            setDeferred(null);
          }}
        >
          Install
        </button>
      </div>
    );
  }

  if (!hintDismissed && isIosSafari() && !isStandalone()) {
    return (
      <div className="banner banner-info">
        <span>
          To install: tap <strong>Share</strong>, then <strong>Add to Home Screen</strong>.
        </span>
        <button type="button" className="button button-quiet" onClick={() => setHintDismissed(true)}>
          Dismiss
        </button>
      </div>
    );
  }

  return null;
}
