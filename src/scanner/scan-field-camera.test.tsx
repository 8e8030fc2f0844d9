// @vitest-environment jsdom
// The Camera button beside the Scan field: opens the (lazy) camera panel in one tap, and its reads
// reach the screen's onScan like wedge scans do.
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { ScanField } from './scan-field';
import type { ScanEvent } from './types';

const cameraRead: ScanEvent = { raw: ']C1010950110153000310ABC', text: '010950110153000310ABC', symbology: ']C1', source: 'camera', at: 0 };

vi.mock('./camera/camera-panel', () => ({
  default: ({ onScan, onClose }: { onScan: (event: ScanEvent) => void; onClose: () => void }) => (
    <div role="dialog" aria-label="Camera scanner">
      <button type="button" onClick={() => onScan(cameraRead)}>
        Fake read
      </button>
      <button type="button" onClick={onClose}>
        Close camera
      </button>
    </div>
  ),
}));

describe('ScanField camera button', () => {
  it('opens the camera panel and hands its reads to onScan', async () => {
    const user = userEvent.setup();
    const onScan = vi.fn(() => 'success' as const);
    render(<ScanField onScan={onScan} />);
    await user.click(screen.getByRole('button', { name: 'Camera' }));
    await user.click(await screen.findByRole('button', { name: 'Fake read' }));
    await vi.waitFor(() => expect(onScan).toHaveBeenCalledWith(cameraRead));
    await user.click(screen.getByRole('button', { name: 'Close camera' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Scan' }));
  });
});
