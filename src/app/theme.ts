// The display theme, chosen per device: automatic (light, or dark where the device asks for it),
// sunlight (high contrast for bright docks), or dark. Applied to <html data-theme> before the
// first paint (main.tsx), and read from localStorage so it survives sign-out.
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

export function applyTheme(theme: Theme): void {
  if (theme === 'auto') delete document.documentElement.dataset['theme'];
  else document.documentElement.dataset['theme'] = theme;
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
