// The Pick workflow's first screen (/pick): the user's open pick lists with their progress, each
// opening the pick screen for that list.
import { Link } from 'react-router';
import { DocumentList } from '../../ui/document-list';
import { usePickDeps } from './pick-context';
import { useOpenPickLists } from './queries';
import './pick.css';

export interface PickListsScreenProps {
  /** The workflow's label, for the heading. */
  title?: string;
}

export default function PickListsScreen({ title = 'Pick' }: PickListsScreenProps) {
  const { db } = usePickDeps();
  const lists = useOpenPickLists(db);

  return (
    <section className="screen">
      <h1>{title}</h1>
      {lists === undefined && <p className="loading">Loading…</p>}
      {lists?.length === 0 && <p className="lead">No pick lists to work right now.</p>}
      {lists && lists.length > 0 && (
        <DocumentList
          label="Pick lists"
          entries={lists.map(({ id, number, progress }) => ({
            id,
            number,
            href: `/pick/${encodeURIComponent(id)}`,
            text: `${progress.linesDone} of ${progress.lineCount} lines · ${progress.unitsDone}/${progress.unitsTotal} units`,
            done: progress.unitsDone,
            total: progress.unitsTotal,
          }))}
        />
      )}
      <Link className="button" to="/">
        Back to home
      </Link>
    </section>
  );
}
