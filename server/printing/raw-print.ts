// Sends a print file to a network label printer the way Zebra printers take it: a raw TCP
// connection to port 9100, the bytes, then the end of the stream. The printer sends nothing back,
// so "sent" means the bytes were handed whole to the connection; a printer prints a ZPL format
// only at its closing ^XZ, so a send that failed before that printed nothing.
import { connect } from 'node:net';

/** Longest wait to connect to a printer and hand it a label; a printer that is off never answers. */
export const PRINTER_TIMEOUT_MS = 5_000;

export interface PrinterAddress {
  host: string;
  port: number;
}

/** Why a send failed, in words for the person at the station ("connection refused", "no answer in 5 s"). */
export class PrinterUnreachable extends Error {
  override name = 'PrinterUnreachable';
}

/** Connects, writes `data` and ends the stream; resolves once every byte is sent, rejects with `PrinterUnreachable`. */
export function sendRaw(address: PrinterAddress, data: string | Buffer, timeoutMs = PRINTER_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address.host, port: address.port });
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      if (error) {
        socket.destroy();
        reject(error);
      } else {
        resolve();
      }
    };
    // One deadline for connecting and sending; a printer that takes the bytes but never closes its
    // side is left to close on its own (the socket's idle timeout below ends it otherwise).
    const deadline = setTimeout(() => settle(new PrinterUnreachable(`no answer in ${Math.round(timeoutMs / 1000)} s`)), timeoutMs);
    socket.setTimeout(timeoutMs, () => socket.destroy());
    socket.on('error', (error: NodeJS.ErrnoException) => settle(new PrinterUnreachable(describe(error))));
    socket.on('connect', () => {
      socket.end(data, () => settle());
    });
  });
}

/** A connection error as a person at the station reads it. */
function describe(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the printer on, and is this its port?)';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'no such host name';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to the printer’s network';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'the printer closed the connection before the label was sent';
    default:
      return error.code ?? error.message;
  }
}
