// The Receive workflow's first screen (/receive): the user's open receipts with their progress,
// each opening the receive screen, and the Scan field to open one by its barcode (ASN-…, PO-…).
import { useCallback, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { chooseReceipt } from '../../domain/workflows/receive';
import type { ScanEvent, ScanOutcome } from '../../scanner/types';
import { ScanLayout } from '../../ui/scan-layout';
import { DocumentList } from '../../ui/document-list';
import { useOpenReceipts } from './queries';
import { useReceiveDeps } from './receive-context';
import './receive.css';

export interface ReceiptsScreenProps {
  /** The workflow's label, for the heading. */
  title?: string;
}

export default function ReceiptsScreen({ title = 'Receive' }: ReceiptsScreenProps) {
  const { db, commands, wedgeOptions } = useReceiveDeps();
  const receipts = useOpenReceipts(db);
  const navigate = useNavigate();
  const [error, setError] = useState<string | null>(null);

  const onScan = useCallback(
    async (event: ScanEvent): Promise<ScanOutcome> => {
      const result = chooseReceipt(await commands.resolveScan(event.text));
      if ('open' in result) {
        setError(null);
        void navigate(`/receive/${encodeURIComponent(result.open)}`);
      } else {
        setError(result.error);
      }
      return result.feedback;
    },
    [commands, navigate],
  );

  return (
    <ScanLayout
      heading={<h1>{title}</h1>}
      prompt="Scan the receipt's barcode (ASN or PO number), or choose it below"
      messages={[error === null ? null : { tone: 'error', text: error }]}
      scan={{ onScan, wedgeOptions }}
    >
      {receipts === undefined && <p className="loading">Loading…</p>}
      {receipts?.length === 0 && <p className="lead">No receipts to work right now.</p>}
      {receipts && receipts.length > 0 && (
        <DocumentList
          label="Receipts"
          entries={receipts.map(({ id, number, supplier, progress }) => ({
            id,
            number,
            href: `/receive/${encodeURIComponent(id)}`,
            text: `${supplier} · ${progress.unitsDone}/${progress.unitsExpected} units · ${progress.linesComplete} of ${progress.lineCount} lines`,
            done: progress.unitsDone,
            total: progress.unitsExpected,
          }))}
        />
      )}
      <Link className="button" to="/">
        Back to home
      </Link>
    </ScanLayout>
  );
}
