import { describe, expect, it } from 'vitest';
import { problemOf, toScanEvent } from './camera-source';
import { formatsFor, roiFor } from './roi';

describe('toScanEvent', () => {
  it('shapes a camera read like a wedge scan: AIM identifier in raw, separators kept in text', () => {
    const event = toScanEvent({ text: '010950110153000310ABC\x1d17261231', format: 'datamatrix', symbologyIdentifier: ']d2' }, 5);
    expect(event).toEqual({
      raw: ']d2010950110153000310ABC\x1d17261231',
      text: '010950110153000310ABC\x1d17261231',
      symbology: ']d2',
      source: 'camera',
      at: 5,
      shown: '(01)09501101530003(10)ABC(17)261231',
    });
  });

  it('shows a UPC-E as the 8 digits printed under it, though the engine expanded it', () => {
    const event = toScanEvent({ text: '0042100005264', format: 'upc-e', symbologyIdentifier: ']E0' }, 0);
    expect(event).toMatchObject({ text: '0042100005264', shown: '04252614' });
  });

  it('makes group separators visible where the data is not GS1', () => {
    expect(toScanEvent({ text: 'AB\x1dC', format: 'code-128', symbologyIdentifier: ']C0' }, 0).shown).toBe('AB<GS>C');
  });

  it('leaves raw as the text when the engine gives no identifier', () => {
    expect(toScanEvent({ text: '5901234123457', format: 'ean-13', symbologyIdentifier: null }, 0)).toMatchObject({ raw: '5901234123457', symbology: null });
  });
});

describe('problemOf', () => {
  it.each([
    ['NotAllowedError', 'denied'],
    ['NotFoundError', 'no-camera'],
    ['NotReadableError', 'in-use'],
    ['Whatever', 'failed'],
  ])('%s → %s', (name, problem) => {
    expect(problemOf(new DOMException('x', name))).toBe(problem);
  });
});

describe('roiFor', () => {
  it('is a wide centred band for 1D and a centred square for 2D', () => {
    expect(roiFor('linear', 1280, 720)).toEqual({ x: 64, y: 216, width: 1152, height: 288 });
    expect(roiFor('matrix', 1280, 720)).toEqual({ x: 388, y: 108, width: 504, height: 504 });
  });

  it('searches only 2D formats in the square', () => {
    expect(formatsFor('matrix')).toEqual(['datamatrix', 'qr', 'pdf417']);
    expect(formatsFor('linear')).toContain('ean-13');
  });
});
