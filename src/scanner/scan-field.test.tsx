// @vitest-environment jsdom
// The Scan field: accessible name, Enter/Tab submit, focus kept, GS1 separator, duplicates.
import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi, type Mock } from 'vitest';
import { ScanField } from './scan-field';
import type { ScanEvent, ScanOutcome } from './types';

afterEach(cleanup);

function setup(onScan: Mock<(e: ScanEvent) => void | Promise<void | ScanOutcome>> = vi.fn<(e: ScanEvent) => void>()) {
  const user = userEvent.setup();
  const utils = render(
    <div>
      <ScanField onScan={onScan} prompt="Scan the bin" />
      <button type="button">Short pick</button>
      <label>
        Quantity
        <input type="number" />
      </label>
    </div>,
  );
  return { user, onScan, input: screen.getByRole('textbox', { name: 'Scan' }), ...utils };
}

/** Lets the field's deferred refocus and scan promise chain run. */
const settle = () => act(() => new Promise((resolve) => setTimeout(resolve, 5)));

describe('ScanField', () => {
  it('is named "Scan" and focused on mount', () => {
    const { input } = setup();
    expect(document.activeElement).toBe(input);
    expect(input.getAttribute('aria-describedby')).toBeTruthy();
  });

  it('submits a typed value on Enter and empties the field', async () => {
    const { user, onScan, input } = setup();
    await user.type(input, 'SKU-1{Enter}');
    expect(onScan).toHaveBeenCalledTimes(1);
    expect(onScan.mock.calls[0]?.[0]).toMatchObject({ text: 'SKU-1', symbology: null });
    expect((input as HTMLInputElement).value).toBe('');
    expect(document.activeElement).toBe(input);
  });

  it('shows the scan until its outcome is shown, then empties for the next', async () => {
    let answer: (outcome: 'success') => void = () => {};
    const { user, input } = setup(vi.fn(() => new Promise<'success'>((resolve) => (answer = resolve))) as Mock<(e: ScanEvent) => Promise<'success'>>);
    await user.type(input, '4006381333931{Enter}');
    expect((input as HTMLInputElement).value).toBe('4006381333931');
    await act(async () => answer('success'));
    expect((input as HTMLInputElement).value).toBe('');
  });

  it('starts a scan typed before the last outcome from an empty field', async () => {
    const { user, onScan, input } = setup(vi.fn(() => new Promise<void>(() => {})));
    await user.type(input, 'BIN-1{Enter}');
    await user.keyboard('SKU-9{Enter}');
    expect(onScan.mock.calls.map(([e]) => e.text)).toEqual(['BIN-1', 'SKU-9']);
  });

  it('submits on Tab without losing focus', async () => {
    const { user, onScan, input } = setup();
    await user.type(input, 'A-01-03');
    await user.keyboard('{Tab}');
    expect(onScan.mock.calls[0]?.[0]).toMatchObject({ text: 'A-01-03' });
    expect(document.activeElement).toBe(input);
  });

  it('keeps focus across several scans', async () => {
    const { user, onScan, input } = setup();
    await user.type(input, 'BIN-1{Enter}');
    await settle();
    await user.keyboard('SKU-9{Enter}');
    await settle();
    expect(onScan.mock.calls.map(([e]) => e.text)).toEqual(['BIN-1', 'SKU-9']);
    expect(document.activeElement).toBe(input);
  });

  it('takes focus back after a button is clicked', async () => {
    const { user, input } = setup();
    await user.click(screen.getByRole('button', { name: 'Short pick' }));
    await settle();
    expect(document.activeElement).toBe(input);
  });

  it('leaves focus in another input the user chose', async () => {
    const { user } = setup();
    const quantity = screen.getByRole('spinbutton', { name: 'Quantity' });
    await user.click(quantity);
    await settle();
    expect(document.activeElement).toBe(quantity);
  });

  it('keeps Ctrl+] as \\x1d and strips the AIM identifier', async () => {
    const { user, onScan, input } = setup();
    await user.type(input, ']C10109506000134352');
    await user.keyboard('{Control>}]{/Control}10LOT7{Enter}');
    expect(onScan.mock.calls[0]?.[0]).toMatchObject({
      raw: ']C10109506000134352\x1d10LOT7',
      text: '0109506000134352\x1d10LOT7',
      symbology: ']C1',
    });
  });

  it('counts one of two identical scans delivered back to back', async () => {
    const { user, onScan, input } = setup();
    await user.type(input, 'SKU-1{Enter}SKU-1{Enter}');
    expect(onScan).toHaveBeenCalledTimes(1);
  });

  it('lets a keyboard user Tab out of an empty field', async () => {
    const { user } = setup();
    await user.tab();
    await settle();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Camera' }));
    await user.tab();
    await settle();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Short pick' }));
  });

  it('flashes the outcome the handler returns', async () => {
    const user = userEvent.setup();
    const onScan = vi.fn(async (e: ScanEvent) => (e.text === 'GOOD' ? ('success' as const) : ('error' as const)));
    render(<ScanField onScan={onScan} />);
    const input = screen.getByRole('textbox', { name: 'Scan' });
    await user.type(input, 'BAD{Enter}');
    await settle();
    expect(input.closest('.scan-field')?.classList.contains('scan-flash-error')).toBe(true);
    await user.type(input, 'GOOD{Enter}');
    await settle();
    expect(input.closest('.scan-field')?.classList.contains('scan-flash-success')).toBe(true);
    expect(input.closest('.scan-field')?.classList.contains('scan-flash-error')).toBe(false);
  });
});
