// The list a workflow opens with: its open documents (pick lists, receipts), each a big link with
// a line of progress text and a progress bar.
import { Link } from 'react-router';
import { ProgressBar } from './progress-bar';

export interface DocumentEntry {
  id: string;
  /** The document's number, the link's accessible name (e.g. "PL-000101", "ASN-10412"). */
  number: string;
  href: string;
  /** One line under the link: what the document is and how far along. */
  text: string;
  done: number;
  total: number;
}

export function DocumentList({ label, entries }: { label: string; entries: readonly DocumentEntry[] }) {
  return (
    <ul className="floor-doc-list" aria-label={label}>
      {entries.map(({ id, number, href, text, done, total }) => (
        <li key={id} className="floor-doc-item">
          <Link className="floor-doc-link" to={href} aria-describedby={`doc-${id}`}>
            {number}
          </Link>
          <p id={`doc-${id}`} className="floor-doc-text">
            {text}
          </p>
          <ProgressBar value={done} max={total} label={`${number} progress`} text={text} />
        </li>
      ))}
    </ul>
  );
}
