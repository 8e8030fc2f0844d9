// The Pick workflow's first screen (/pick): scan a pick list's barcode, or choose from the user's
// open pick lists — each saying whose goods, how many orders and units, which zones and who holds
// it — to open the pick screen for that list.
import { useCallback, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { ScanEvent, ScanOutcome } from '../../scanner/types';
import { abbreviate } from '../../domain/workflows/message';
import { DocumentList } from '../../ui/document-list';
import { ScanLayout } from '../../ui/scan-layout';
import { usePickDeps } from './pick-context';
import { findPickList, useOpenPickLists } from './queries';
import './pick.css';

export interface PickListsScreenProps {
  /** The workflow's label, for the heading. */
  title?: string;
}

export default function PickListsScreen({ title = 'Pick' }: PickListsScreenProps) {
  const { db, wedgeOptions } = usePickDeps();
  const lists = useOpenPickLists(db);
  const navigate = useNavigate();
  const [problem, setProblem] = useState<string | null>(null);

  const onScan = useCallback(
    async (event: ScanEvent): Promise<ScanOutcome> => {
      const found = await findPickList(db, event.text);
      if (!found) {
        setProblem(`${abbreviate(event.text)} is no open pick list on this device. Scan the list's barcode (PL-…) or choose it below.`);
        return 'error';
      }
      setProblem(null);
      void navigate(`/pick/${encodeURIComponent(found.id)}`);
      return 'success';
    },
    [db, navigate],
  );

  return (
    <ScanLayout
      heading={<h1 className="floor-title">{title}</h1>}
      prompt="Scan a pick list's barcode, or choose it below"
      messages={[problem === null ? null : { tone: 'error', text: problem }]}
      scan={{ onScan, wedgeOptions }}
    >
      {lists === undefined && <p className="loading">Loading…</p>}
      {lists?.length === 0 && <p className="lead">No pick lists to work right now.</p>}
      {lists && lists.length > 0 && (
        <DocumentList
          label="Pick lists"
          entries={lists.map(({ id, number, progress, ownerName, orderCount, zones, heldBy }) => ({
            id,
            number,
            href: `/pick/${encodeURIComponent(id)}`,
            text: [
              ownerName,
              `${orderCount} ${orderCount === 1 ? 'order' : 'orders'}`,
              `${progress.unitsDone}/${progress.unitsTotal} units`,
              `${progress.linesDone} of ${progress.lineCount} lines`,
              zones.length > 0 ? `zone ${zones.join(', ')}` : null,
              heldBy ? `held by ${heldBy}` : null,
            ].filter(Boolean).join(' · '),
            done: progress.unitsDone,
            total: progress.unitsTotal,
          }))}
        />
      )}
      <Link className="button" to="/">
        Back to home
      </Link>
    </ScanLayout>
  );
}
