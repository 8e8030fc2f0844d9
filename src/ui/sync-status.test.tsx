// @vitest-environment jsdom
// The sync indicator's text: exactly one of "Offline", "N pending", "All synced", and the last sync time.
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resetSyncStatus, useSyncStatus } from '../sync/status-store';
import { SyncStatus, SyncStatusView, type SyncStatusViewProps } from './sync-status';

afterEach(() => {
  cleanup();
  resetSyncStatus();
});

const base: SyncStatusViewProps = { online: true, pendingCount: 0, syncing: false, lastSyncAt: null, lastError: null, needsSignIn: false, initialLoad: null, offlineReady: true };
const HEADLINES = ['Offline', 'pending', 'All synced'];

function statusText(props: Partial<SyncStatusViewProps>): string {
  render(<SyncStatusView {...base} {...props} />);
  const text = screen.getByRole('status').textContent ?? '';
  cleanup();
  return text;
}

function headlines(text: string): string[] {
  return HEADLINES.filter((headline) => text.includes(headline));
}

describe('SyncStatusView', () => {
  it('says All synced with nothing pending, and the last sync time', () => {
    const text = statusText({ lastSyncAt: new Date(2026, 10, 25, 14, 2).getTime() });
    expect(headlines(text)).toEqual(['All synced']);
    expect(text).toContain('Last sync 14:02');
  });

  it('says N pending while scans wait', () => {
    const text = statusText({ pendingCount: 3 });
    expect(text).toContain('3 pending');
    expect(headlines(text)).toEqual(['pending']);
  });

  it('says Offline and how many are pending when offline with scans waiting', () => {
    const text = statusText({ online: false, pendingCount: 2, lastSyncAt: new Date(2026, 10, 25, 9, 5).getTime() });
    expect(text).toMatch(/^Offline · 2 pending/);
    expect(text).not.toContain('All synced');
    expect(text).toContain('Last sync 09:05');
  });

  it('never says All synced before a sync has completed or while the first load runs', () => {
    expect(statusText({ lastSyncAt: null })).toBe('Syncing…');
    expect(statusText({ lastSyncAt: null, initialLoad: { rows: 5000 } })).toBe('Loading warehouse data');
    expect(statusText({ lastSyncAt: null, initialLoad: { rows: 5000 } })).not.toContain('All synced');
    expect(statusText({ lastSyncAt: Date.now(), offlineReady: false })).toMatch(/^Preparing offline use…/);
  });

  it('follows the status store', () => {
    render(<SyncStatus />);
    expect(screen.getByRole('status').textContent).toContain('Syncing');
    act(() => useSyncStatus.setState({ lastSyncAt: Date.now() }));
    expect(screen.getByRole('status').textContent).toContain('All synced');
    act(() => useSyncStatus.setState({ pendingCount: 1 }));
    expect(screen.getByRole('status').textContent).toContain('1 pending');
    act(() => useSyncStatus.setState({ online: false }));
    expect(screen.getByRole('status').textContent).toContain('Offline');
  });
});
