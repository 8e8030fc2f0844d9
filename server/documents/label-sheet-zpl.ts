// Bin and LPN labels as ZPL II for Zebra printers at 203 dpi on a thermal roll (4 × 6 or 2 × 1 in):
// one format per label, the code in font 0 and as Code 128 drawn by the printer (^BC, automatic
// subsets, so an LPN's digits pack as pairs), its narrow bar a whole number of dots. Every field
// is ^FH-escaped (server/documents/carton-label-zpl), so no code can end the label or run a command.
import { LABEL_STOCKS, type LabelStock } from '../../src/domain/label-sheets';
import { code128Modules, isCode128Text } from './barcodes';
import { zplFieldData } from './carton-label-zpl';
import { LABEL_TYPE, moduleWidthMm, QUIET_MODULES, STOCK_LAYOUTS, notCode128, tooLong, UnprintableLabelError, type SheetLabel } from './label-stock';

/** 203 dpi: dots per millimetre. */
const DOTS_PER_MM = 203 / 25.4;
/** Printer dots per typographic point. */
const DOTS_PER_PT = 203 / 72;

const dots = (mm: number) => Math.round(mm * DOTS_PER_MM);

/** One line of text centred across the label in a one-line ^FB block. */
function centred(y: number, height: number, width: number, margin: number, text: string): string {
  return `^FO${margin},${y}^A0N,${height},${height}^FB${width - 2 * margin},1,0,C^FH^FD${zplFieldData(text)}^FS`;
}

/** `labels` on `stock` (a roll: `LABEL_STOCKS[stock].zpl`), one ^XA…^XZ format each. */
export function labelSheetZpl(labels: readonly SheetLabel[], stock: LabelStock): string {
  if (!LABEL_STOCKS[stock].zpl) throw new RangeError(`ZPL prints on a roll, not on ${stock} sheets`);
  const layout = STOCK_LAYOUTS[stock];
  const [width, length] = layout.labelMm.map(dots) as [number, number];
  const margin = dots(layout.paddingMm);
  return labels.map((label) => {
    if (!isCode128Text(label.code)) throw notCode128(label.code);
    // In ^BC's automatic mode ">" would still start an invocation code: such a code prints as PDF.
    if (label.code.includes('>')) throw new UnprintableLabelError(label.code, `${label.code} holds a ">", which a Zebra printer reads as a barcode command: print it as PDF.`);
    const symbol = code128Modules(label.code);
    const moduleMm = moduleWidthMm(layout, symbol + 2 * QUIET_MODULES, 1 / DOTS_PER_MM);
    if (moduleMm === null) throw tooLong(label.code, stock);
    const moduleDots = Math.round(moduleMm * DOTS_PER_MM);

    const heightMm = layout.labelMm[1];
    const codeHeight = Math.round(Math.min(LABEL_TYPE.maxCodePt, heightMm * LABEL_TYPE.codePtPerMm) * DOTS_PER_PT);
    // Font 0 averages 0.6 of its height per character: a long code gets smaller type, never cut.
    const typeHeight = Math.min(codeHeight, Math.floor((width - 2 * margin) / (label.code.length * 0.6)));
    const out = ['^XA', '^CI28', `^PW${width}`, `^LL${length}`, '^LH0,0', centred(margin, typeHeight, width, margin, label.code)];
    let bottom = length - margin;
    if (label.detail && heightMm >= LABEL_TYPE.detailMinLabelMm) {
      const detailHeight = Math.round(LABEL_TYPE.detailPt * DOTS_PER_PT);
      out.push(centred(bottom - detailHeight, detailHeight, width, margin, label.detail));
      bottom -= detailHeight + dots(LABEL_TYPE.gapMm);
    }
    const top = margin + typeHeight + dots(LABEL_TYPE.gapMm);
    const barHeight = Math.min(bottom - top, dots(LABEL_TYPE.maxBarMm));
    const barX = Math.round((width - symbol * moduleDots) / 2);
    const barY = top + Math.round((bottom - top - barHeight) / 2);
    out.push(`^FO${barX},${barY}^BY${moduleDots}^BCN,${barHeight},N,N,N,A^FH^FD${zplFieldData(label.code)}^FS`, '^XZ');
    return `${out.join('\n')}\n`;
  }).join('');
}
