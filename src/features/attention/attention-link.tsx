// The header's "Needs attention (N)" link, shown only while something needs attention.
import { Link } from 'react-router';
import { useOpenProblemCount } from './use-problems';

export default function AttentionLink() {
  const count = useOpenProblemCount();
  if (count === 0) return null;
  return (
    <Link to="/attention" className="button button-attention">
      Needs attention ({count})
    </Link>
  );
}
