// What the workflow screens' component tests do the way a floor worker does: type a scan into the
// "Scan" field and end it with Enter, then let the scan's promise chain (lookup, outbox commit,
// feedback) run to the end before looking at the screen.
import { act, screen, waitFor } from '@testing-library/react';
import type userEvent from '@testing-library/user-event';
import { expect } from 'vitest';

export type User = ReturnType<typeof userEvent.setup>;

/** Lets the last action's promise chain run to the end. */
export const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 20)));

export async function scan(user: User, text: string): Promise<void> {
  const field = await screen.findByRole('textbox', { name: 'Scan' });
  await user.type(field, `${text}{Enter}`);
  await settle();
}

/** Waits for the error the last action ends with (a scan's commit can take a while on a busy machine). */
export const expectAlert = (text: string) => waitFor(() => expect(screen.getByRole('alert').textContent).toBe(text));
