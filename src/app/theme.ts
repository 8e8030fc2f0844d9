// The display theme, chosen per device: automatic (light, or dark where the device asks for it),
// sunlight (high contrast for bright docks), or dark. Applied to <html data-theme> before the
// first paint (main.tsx), and read from localStorage so it survives sign-out. The stylesheet knows
// `sunlight` and `dark` only: Automatic picks one of them (or none, light) here.
export type Theme = 'auto' | 'sunlight' | 'dark';

export const THEMES: readonly { value: Theme; label: string }[] = [
  { value: 'auto', label: 'Automatic' },
  { value: 'sunlight', label: 'Sunlight (high contrast)' },
  { value: 'dark', label: 'Dark' },
];

const KEY = 'dockhand.theme';

export function storedTheme(): Theme {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'sunlight' || value === 'dark' ? value : 'auto';
  } catch {
    return 'auto';
  }
}

const prefersDark = () => window.matchMedia?.('(prefers-color-scheme: dark)');

/** The theme on <html data-theme>: Automatic follows the device's dark mode, and its changes. */
export function applyTheme(theme: Theme): void {
  const root = document.documentElement;
  if (theme !== 'auto') root.dataset['theme'] = theme;
  else if (prefersDark()?.matches) root.dataset['theme'] = 'dark';
  else delete root.dataset['theme'];
}

let following = false;

/** Applies the stored theme, and again whenever the device switches between light and dark. */
export function applyStoredTheme(): void {
  applyTheme(storedTheme());
  if (following) return;
  following = true;
  prefersDark()?.addEventListener?.('change', () => applyTheme(storedTheme()));
}

export function chooseTheme(theme: Theme): void {
  try {
    if (theme === 'auto') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, theme);
  } catch {
    // Private mode: this page only.
  }
  applyTheme(theme);
}
