// @vitest-environment jsdom
// The one banner above the work: the most pressing notice only, a dismissed storage warning that
// stays dismissed on the device (until storage is granted and later refused again), and an
// install offer that "Not now" closes.
import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetSyncStatus, useSyncStatus } from '../sync/status-store';
import { SyncBanners } from './banners';

beforeEach(() => localStorage.clear());
afterEach(() => {
  cleanup();
  resetSyncStatus();
});

const STORAGE = /Offline data may be cleared/;

describe('banners', () => {
  it('shows only the most pressing notice', () => {
    useSyncStatus.setState({ persistence: 'refused', needsSignIn: true, pendingCount: 3 });
    render(<SyncBanners onSignInAgain={() => undefined} />);
    expect(screen.getByRole('alert').textContent).toContain('Sign in again to send 3 scans; they are kept.');
    expect(screen.queryByText(STORAGE)).toBeNull();
    act(() => useSyncStatus.setState({ needsSignIn: false }));
    expect(screen.getByText(STORAGE)).toBeTruthy();
  });

  it('keeps an urgent notice with the header and the calm ones in the page, never both', () => {
    useSyncStatus.setState({ persistence: 'refused', needsSignIn: true });
    render(
      <>
        <div data-testid="top"><SyncBanners part="urgent" /></div>
        <div data-testid="page"><SyncBanners part="calm" /></div>
      </>,
    );
    expect(screen.getByTestId('top').textContent).toContain('Your session has ended.');
    expect(screen.getByTestId('page').textContent).toBe('');
    act(() => useSyncStatus.setState({ needsSignIn: false }));
    expect(screen.getByTestId('top').textContent).toBe('');
    expect(screen.getByTestId('page').textContent).toMatch(STORAGE);
  });

  it('keeps a dismissed storage warning dismissed on this device until storage is granted', async () => {
    useSyncStatus.setState({ persistence: 'refused' });
    const user = userEvent.setup();
    const first = render(<SyncBanners />);
    await user.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByText(STORAGE)).toBeNull();
    first.unmount();
    // The app opened again: still dismissed.
    render(<SyncBanners />);
    expect(screen.queryByText(STORAGE)).toBeNull();
    cleanup();
    // Granted, then refused on a later day: said again.
    act(() => useSyncStatus.setState({ persistence: 'granted' }));
    render(<SyncBanners />);
    cleanup();
    act(() => useSyncStatus.setState({ persistence: 'refused' }));
    render(<SyncBanners />);
    expect(screen.getByText(STORAGE)).toBeTruthy();
  });
});
