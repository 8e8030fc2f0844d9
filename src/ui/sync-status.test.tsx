// @vitest-environment jsdom
// The sync indicator's text: exactly one of "Offline", "N pending", "All synced", the last sync
// time, and what keeps scans from going out once that has lasted.
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { resetSyncStatus, useSyncStatus } from '../sync/status-store';
import { SyncStatus, SyncStatusView, type SyncStatusViewProps } from './sync-status';

afterEach(() => {
  cleanup();
  resetSyncStatus();
});

const NOW = new Date(2026, 10, 25, 14, 30).getTime();
const MINUTE = 60_000;
const base: SyncStatusViewProps = {
  online: true, pendingCount: 0, syncing: false, lastSyncAt: null, lastError: null, needsSignIn: false, initialLoad: null, offlineReady: true, notSent: null, now: NOW,
};
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

  describe('scans that do not go out', () => {
    const refused = (minutes: number, stuck = true) => ({ since: NOW - minutes * MINUTE, reason: 'refused' as const, stuck });
    const unreachable = (minutes: number) => ({ since: NOW - minutes * MINUTE, reason: 'unreachable' as const, stuck: true });

    it('says how long and to tell a supervisor when the server keeps refusing, still with N pending', () => {
      const text = statusText({ pendingCount: 3, notSent: refused(6) });
      expect(text).toBe('3 pending · Not sent for 6 min: the server keeps refusing. Tell a supervisor.');
      expect(statusText({ pendingCount: 1, notSent: refused(125) })).toContain('Not sent for 2 h 5 min: the server keeps refusing.');
      expect(statusText({ pendingCount: 1, notSent: refused(0) })).toBe('1 pending · Not sent: the server refused them. Tell a supervisor.');
    });

    it('marks a refusing server as the alarm, unlike offline', () => {
      render(<SyncStatusView {...base} pendingCount={2} notSent={refused(6)} />);
      expect(screen.getByRole('status').className).toContain('sync-alarm');
      cleanup();
      render(<SyncStatusView {...base} online={false} pendingCount={2} />);
      expect(screen.getByRole('status').className).not.toContain('sync-alarm');
    });

    it('says nothing before the queue is stuck', () => {
      expect(statusText({ pendingCount: 2, notSent: refused(4, false) })).toBe('2 pending');
    });

    it('calls no connection by its name, without sending anyone to a supervisor', () => {
      const text = statusText({ pendingCount: 2, notSent: unreachable(12) });
      expect(text).toBe('2 pending · Not sent for 12 min: no connection to the server.');
      expect(text).not.toContain('supervisor');
    });

    it('offline says only Offline about no connection, but still tells of a refusing server', () => {
      expect(statusText({ online: false, pendingCount: 2, notSent: unreachable(12) })).toBe('Offline · 2 pending');
      expect(statusText({ online: false, pendingCount: 2, notSent: refused(8) })).toBe('Offline · 2 pending · Not sent for 8 min: the server keeps refusing. Tell a supervisor.');
    });
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
    act(() => useSyncStatus.setState({ online: true, notSent: { since: Date.now() - 6 * MINUTE - 1000, reason: 'refused', stuck: true } }));
    expect(screen.getByRole('status').textContent).toContain('1 pending · Not sent for 6 min: the server keeps refusing. Tell a supervisor.');
  });

  it('counts the rejections waiting under Needs attention: "All synced" is not all done', () => {
    expect(statusText({ lastSyncAt: NOW, openProblems: 1 })).toContain('All synced · 1 needs attention');
    expect(statusText({ lastSyncAt: NOW, openProblems: 3 })).toContain('· 3 need attention');
    expect(statusText({ lastSyncAt: NOW })).not.toContain('attention');
  });
});
