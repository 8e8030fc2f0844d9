// @vitest-environment jsdom
// The sign-in screen in the app's real routes: labels, the server's messages, and where a
// successful sign-in leads.
import 'fake-indexeddb/auto';
import { act, cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AppRoutes } from '../../app/router';
import { renderInRouter } from '../../../test/support/render-in-router';
import { bindSessionStore, resetSessionStore } from '../../app/session-store';
import { db } from '../../storage/db';
import { observeSession, readSession } from '../../storage/session-repo';

const USER = { id: 'u1', username: 'sam', displayName: 'Sam Picker', role: 'operator', ownerIds: null };

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

let unbind: () => void = () => {};
const fetchMock = vi.fn<typeof fetch>();

beforeEach(async () => {
  await db.meta.clear();
  resetSessionStore();
  unbind = bindSessionStore(observeSession(db));
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
});

afterEach(() => {
  cleanup();
  unbind();
  vi.unstubAllGlobals();
});

function renderAt(path: string) {
  return renderInRouter(path, <AppRoutes />);
}

async function fillAndSubmit(username: string, pin: string) {
  const user = userEvent.setup();
  await user.type(await screen.findByLabelText('Username'), username);
  await user.type(screen.getByLabelText('PIN'), pin);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('sign-in screen', () => {
  it('sends a signed-out user to sign-in, with labelled fields', async () => {
    const router = renderAt('/');
    const username = await screen.findByLabelText('Username');
    const pin = screen.getByLabelText('PIN');
    expect(router.location.pathname).toBe('/sign-in');
    expect(username.getAttribute('autocomplete')).toBe('username');
    expect(pin.getAttribute('type')).toBe('password');
    expect(pin.getAttribute('inputmode')).toBe('numeric');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
  });

  it('posts the credentials and the device id, stores the session and goes home', async () => {
    fetchMock.mockResolvedValue(json(200, { token: 'tok-1', user: USER }));
    const router = renderAt('/sign-in');
    await fillAndSubmit(' sam ', '1234');

    expect(await screen.findByRole('link', { name: 'Pick' })).toBeTruthy();
    expect(router.location.pathname).toBe('/');
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe('/api/session');
    expect(init?.method).toBe('POST');
    const body = JSON.parse(String(init?.body)) as { username: string; pin: string; deviceId: string };
    expect(body).toMatchObject({ username: 'sam', pin: '1234' });
    expect(body.deviceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await readSession(db)).toMatchObject({ token: 'tok-1', user: USER });
    // An operator's home: every floor workflow, not the supervisor's screen.
    for (const name of ['Receive', 'Put away', 'Pick', 'Pack', 'Returns']) {
      expect(screen.getByRole('link', { name })).toBeTruthy();
    }
    expect(screen.queryByRole('link', { name: 'Supervisor' })).toBeNull();
  });

  it('returns to the page the user was sent from', async () => {
    fetchMock.mockResolvedValue(json(200, { token: 'tok-1', user: USER }));
    const router = renderAt('/pick');
    await fillAndSubmit('sam', '1234');
    expect(await screen.findByRole('heading', { name: 'Pick' })).toBeTruthy();
    expect(router.location.pathname).toBe('/pick');
  });

  it("shows the server's message for wrong credentials and clears the PIN", async () => {
    fetchMock.mockResolvedValue(json(401, { error: 'INVALID_CREDENTIALS', message: 'Unknown user or wrong PIN.' }));
    renderAt('/sign-in');
    await fillAndSubmit('sam', '9999');
    expect((await screen.findByRole('alert')).textContent).toBe('Unknown user or wrong PIN.');
    expect((screen.getByLabelText('PIN') as HTMLInputElement).value).toBe('');
    expect(await readSession(db)).toBeNull();
  });

  it("shows the server's message when rate limited", async () => {
    fetchMock.mockResolvedValue(json(429, { message: 'Too many attempts: try again in 60 seconds.' }));
    renderAt('/sign-in');
    await fillAndSubmit('sam', '1234');
    expect((await screen.findByRole('alert')).textContent).toBe('Too many attempts: try again in 60 seconds.');
  });

  it('says that sign-in needs the network when offline', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));
    renderAt('/sign-in');
    await fillAndSubmit('sam', '1234');
    expect((await screen.findByRole('alert')).textContent).toBe('You are offline: sign-in needs the network once.');
  });

  it('signs out from the header', async () => {
    fetchMock.mockResolvedValue(json(200, { token: 'tok-1', user: USER }));
    renderAt('/sign-in');
    await fillAndSubmit('sam', '1234');
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByLabelText('Username')).toBeTruthy();
    expect(await readSession(db)).toBeNull();
    await act(async () => {});
  });
});
