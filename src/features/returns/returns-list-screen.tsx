// The Returns workflow's first screen (/returns): scan the return's RMA or the original order
// number, or choose from the user's open returns; either opens the return screen.
import { useCallback, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { ScanEvent, ScanOutcome } from '../../scanner/types';
import { ScanLayout } from '../../ui/scan-layout';
import { useOpenReturns } from './queries';
import { useReturnsDeps } from './returns-context';

export interface ReturnsListScreenProps {
  /** The workflow's label, for the heading. */
  title?: string;
}

export default function ReturnsListScreen({ title = 'Returns' }: ReturnsListScreenProps) {
  const { db, commands, wedgeOptions } = useReturnsDeps();
  const returns = useOpenReturns(db);
  const navigate = useNavigate();
  const [problem, setProblem] = useState<string | null>(null);

  const onScan = useCallback(
    async (event: ScanEvent): Promise<ScanOutcome> => {
      const found = await commands.findReturn(event.text);
      if (!found.ok) {
        setProblem(found.message);
        return 'error';
      }
      setProblem(null);
      void navigate(`/returns/${encodeURIComponent(found.returnId)}`);
      return 'success';
    },
    [commands, navigate],
  );

  return (
    <ScanLayout
      heading={<h1 className="floor-title">{title}</h1>}
      prompt="Scan the RMA or the order number"
      messages={[problem === null ? null : { tone: 'error', text: problem }]}
      scan={{ onScan, wedgeOptions }}
    >
      {returns === undefined && <p className="loading">Loading…</p>}
      {returns?.length === 0 && <p className="lead">No open returns right now.</p>}
      {returns && returns.length > 0 && (
        <ul className="floor-list" aria-label="Open returns">
          {returns.map(({ id, rma, orderNumber, authorised, received }) => (
            <li key={id}>
              <Link className="button floor-list-button" to={`/returns/${encodeURIComponent(id)}`} aria-describedby={`ret-${id}`}>
                {rma}
              </Link>
              <p id={`ret-${id}`} className="floor-form-hint">
                {orderNumber ? `Order ${orderNumber} · ` : ''}
                {received} of {authorised} units received
              </p>
            </li>
          ))}
        </ul>
      )}
      <Link className="button" to="/">
        Back to home
      </Link>
    </ScanLayout>
  );
}
