// @vitest-environment jsdom
// Label printing in the admin console: the form sends the range and stock it shows, ZPL is offered
// for rolls only, a refusal is read out, a batch of LPN labels is the count asked for.
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LabelCommands } from './label-commands';
import { LabelSheets } from './label-sheets';

afterEach(cleanup);

function fakeCommands(answer: Awaited<ReturnType<LabelCommands['binLabels']>>): LabelCommands {
  return { binLabels: vi.fn(async () => answer), lpnLabels: vi.fn(async () => answer) };
}

describe('LabelSheets', () => {
  it('asks for the bins and stock on screen, and offers ZPL only on a roll', async () => {
    const commands = fakeCommands({ ok: false, message: 'No bins from Z-1 to Z-9. Check the codes against the bin map.' });
    render(<LabelSheets commands={commands} />);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('From bin'), 'Z-1');
    await user.type(screen.getByLabelText('To bin'), 'Z-9');
    const bins = screen.getByRole('form', { name: 'Bin labels' });
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Bin labels (ZPL)' }).disabled).toBe(true);
    await user.selectOptions(bins.querySelector('select')!, 'thermal-2x1');
    await user.click(screen.getByRole('button', { name: 'Bin labels (ZPL)' }));
    expect(commands.binLabels).toHaveBeenCalledWith({ from: 'Z-1', to: 'Z-9', stock: 'thermal-2x1', format: 'zpl' });
    expect((await screen.findByRole('alert')).textContent).toContain('No bins from Z-1 to Z-9');
  });

  it('reserves the count of LPN labels asked for', async () => {
    const commands = fakeCommands({ ok: true, file: new Blob(['^XA^XZ'], { type: 'application/zpl' }), name: 'lpn-labels.zpl' });
    URL.createObjectURL = vi.fn(() => 'blob:labels');
    URL.revokeObjectURL = vi.fn();
    render(<LabelSheets commands={commands} />);
    const user = userEvent.setup();
    await user.clear(screen.getByLabelText('How many'));
    await user.type(screen.getByLabelText('How many'), '30');
    await user.selectOptions(screen.getByRole('form', { name: 'LPN labels' }).querySelector('select')!, 'thermal-4x6');
    await user.click(screen.getByRole('button', { name: 'LPN labels (ZPL)' }));
    expect(commands.lpnLabels).toHaveBeenCalledWith({ count: 30, stock: 'thermal-4x6', format: 'zpl' });
    expect((await screen.findByRole('status')).textContent).toContain('30 new LPN labels are ready');
  });
});
