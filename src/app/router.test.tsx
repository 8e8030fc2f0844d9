// @vitest-environment jsdom
// The route guards and the session restored from IndexedDB at boot.
import 'fake-indexeddb/auto';
import { cleanup, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { db } from '../storage/db';
import { observeSession, saveSession } from '../storage/session-repo';
import type { RouteObject } from 'react-router';
import { AppRoutes, routes } from './router';
import { bindSessionStore, resetSessionStore } from './session-store';
import { renderInRouter } from '../../test/support/render-in-router';

let unbind: () => void = () => {};

beforeEach(async () => {
  await db.meta.clear();
  resetSessionStore();
});
afterEach(() => {
  cleanup();
  unbind();
});

function boot(path: string) {
  unbind = bindSessionStore(observeSession(db));
  return renderInRouter(path, <AppRoutes />);
}

describe('router', () => {
  it('restores a stored session: a reload stays signed in', async () => {
    await saveSession(db, {
      token: 't',
      user: { id: 'u1', username: 'ana', displayName: 'Ana', role: 'operator', ownerIds: null },
      signedInAt: 0,
    });
    const router = boot('/');
    expect(await screen.findByRole('link', { name: 'Receive' })).toBeTruthy();
    expect(screen.getByText('Ana', { selector: '.header-user' })).toBeTruthy();
    expect(document.querySelector('[data-slot="sync-status"]')).not.toBeNull();
    expect(router.location.pathname).toBe('/');
  });

  it('offers the Supervisor entry to supervisors, not to operators', async () => {
    const signIn = (role: 'operator' | 'supervisor') =>
      saveSession(db, { token: 't', user: { id: 'u1', username: 'ana', displayName: 'Ana', role, ownerIds: null }, signedInAt: 0 });
    await signIn('operator');
    boot('/');
    expect(await screen.findByRole('link', { name: 'Pick' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Supervisor' })).toBeNull();
    cleanup();
    unbind();

    await signIn('supervisor');
    boot('/');
    expect(await screen.findByRole('link', { name: 'Supervisor' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Pick' })).toBeTruthy();
  });

  it('routes every workflow from its one registry entry: its list and its detail screens', () => {
    // Every URL a route matches, its parents' paths joined in front of its own.
    const paths = (list: RouteObject[], parent = ''): string[] => list.flatMap((route) => {
      const path = !route.path ? parent : route.path.startsWith('/') ? route.path : `${parent}/${route.path}`;
      return [path, ...paths(route.children ?? [], path)];
    });
    expect(paths(routes)).toEqual(expect.arrayContaining([
      '/receive', '/receive/:receiptId', '/putaway', '/pick', '/pick/:pickListId',
      '/pack', '/returns', '/returns/:returnId', '/supervisor',
    ]));
  });

  it('links each workflow by its accessible name to its path', async () => {
    await saveSession(db, { token: 't', user: { id: 'u1', username: 'ana', displayName: 'Ana', role: 'admin', ownerIds: null }, signedInAt: 0 });
    boot('/');
    const hrefs = { Receive: '/receive', 'Put away': '/putaway', Pick: '/pick', Pack: '/pack', Returns: '/returns', Supervisor: '/supervisor' };
    for (const [name, href] of Object.entries(hrefs)) {
      expect((await screen.findByRole('link', { name })).getAttribute('href')).toBe(href);
    }
  });

  it('opens a detail screen under its workflow: a return that is not on the device', async () => {
    await saveSession(db, { token: 't', user: { id: 'u1', username: 'ana', displayName: 'Ana', role: 'operator', ownerIds: null }, signedInAt: 0 });
    const router = boot('/returns/rma-missing');
    expect(await screen.findByRole('link', { name: 'Back to returns' })).toBeTruthy();
    expect(router.location.pathname).toBe('/returns/rma-missing');
  });

  it('sends a signed-out user from a workflow to sign-in', async () => {
    const router = boot('/returns');
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy();
    expect(router.location.pathname).toBe('/sign-in');
    expect(router.location.state).toEqual({ from: '/returns' });
  });
});
