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

/** Where a closed install offer is remembered on this device, and for how long it stays closed. */
const INSTALL_CLOSED_KEY = 'dockhand.installClosedAt';
const INSTALL_CLOSED_FOR_MS = 7 * 24 * 60 * 60 * 1000;

function installClosed(): boolean {
  try {
    const at = Number(localStorage.getItem(INSTALL_CLOSED_KEY));
    return Number.isFinite(at) && at > 0 && Date.now() - at < INSTALL_CLOSED_FOR_MS;
  } catch {
    return false;
  }
}

/** What the device may offer: the browser's install prompt, the iOS hint, or nothing. */
export function useInstallOffer(): { kind: 'prompt' | 'ios-hint'; close(): void } | null {
  const event = useSyncExternalStore(subscribe, () => deferred, () => null);
  const [closed, setClosed] = useState(installClosed);
  if (closed) return null;
  const close = () => {
    try {
      localStorage.setItem(INSTALL_CLOSED_KEY, String(Date.now()));
    } catch {
      // Private mode: closed for this page only.
    }
    setClosed(true);
  };
  if (event) return { kind: 'prompt', close };
  if (isIosSafari() && !isStandalone()) return { kind: 'ios-hint', close };
  return null;
}

/** The install offer as a banner; "Not now" closes it on this device for a week. */
export function InstallBanner({ offer }: { offer: NonNullable<ReturnType<typeof useInstallOffer>> }) {
  return (
    <div className="banner banner-info">
      {offer.kind === 'prompt' ? (
        <span>Install Dockhand on this device for full-screen, offline use.</span>
      ) : (
        <span>
          To install: tap <strong>Share</strong>, then <strong>Add to Home Screen</strong>.
        </span>
      )}
      <span className="banner-actions">
        {offer.kind === 'prompt' && (
          <button
            type="button"
            className="button button-primary"
            onClick={async () => {
              const event = deferred;
              if (!event) return;
              await event.prompt();
              await event.userChoice;
              // The event can be used once; Chrome fires a fresh one if the user may be asked again.
              setDeferred(null);
            }}
          >
            Install
          </button>
        )}
        <button type="button" className="button button-quiet" onClick={offer.close}>
          Not now
        </button>
      </span>
    </div>
  );
}

/** The install offer on screens outside the signed-in shell (sign-in). */
export function InstallPrompt() {
  const offer = useInstallOffer();
  return offer ? <InstallBanner offer={offer} /> : null;
}
