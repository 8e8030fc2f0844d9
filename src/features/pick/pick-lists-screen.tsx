// The Pick workflow's first screen (/pick): the user's open pick lists with their progress, each
// opening the pick screen for that list.
import { Link } from 'react-router';
import { ProgressBar } from '../../ui/progress-bar';
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
        <ul className="pick-lists" aria-label="Pick lists">
          {lists.map(({ id, number, progress }) => {
            const text = `${progress.linesDone} of ${progress.lineCount} lines · ${progress.unitsDone}/${progress.unitsTotal} units`;
            return (
              <li key={id} className="pick-lists-item">
                <Link className="pick-lists-link" to={`/pick/${encodeURIComponent(id)}`} aria-describedby={`pl-${id}`}>
                  {number}
                </Link>
                <p id={`pl-${id}`} className="pick-lists-text">
                  {text}
                </p>
                <ProgressBar value={progress.unitsDone} max={progress.unitsTotal} label={`${number} progress`} text={text} />
              </li>
            );
          })}
        </ul>
      )}
      <Link className="button" to="/">
        Back to home
      </Link>
    </section>
  );
}
