// "Needs attention": every mutation the server rejected, with what was attempted, the server's
// reason, and the actions that fit. Nothing rejected is ever dropped silently.
import { useState } from 'react';
import { Link } from 'react-router';
import type { ProblemView } from '../../storage/problems-repo';
import { canRetry, discardProblem, retryProblem } from './commands';
import { useOpenProblems } from './use-problems';

const TYPE_LABELS: Record<string, string> = {
  receive: 'Receive',
  move: 'Put away / move',
  pick: 'Pick',
  unpick: 'Undo pick',
  'short-pick': 'Short pick',
  pack: 'Pack',
  ship: 'Ship',
  'return-receive': 'Return',
  restock: 'Return disposition',
  'close-receipt': 'Close receipt',
};

function attempted(problem: ProblemView): string {
  const parts = [TYPE_LABELS[problem.type] ?? problem.type];
  const qty = problem.args.qty;
  if (typeof qty === 'number') parts.push(`${qty} ×`);
  if (problem.product) parts.push(problem.product);
  if (problem.bins.length > 0) parts.push(`bin ${problem.bins.join(' → ')}`);
  if (problem.pickList) parts.push(`(${problem.pickList})`);
  return parts.join(' ');
}

function ProblemItem({ problem }: { problem: ProblemView }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const titleId = `problem-${problem.mutationId}`;

  async function run(action: () => Promise<string | null>) {
    setBusy(true);
    setMessage(await action());
    setBusy(false);
  }

  return (
    <li className="problem" aria-labelledby={titleId}>
      <h2 id={titleId} className="problem-title">
        {attempted(problem)}
      </h2>
      <p className="problem-reason">
        <strong>Refused:</strong> {problem.rejection.message} <span className="problem-code">({problem.rejection.code})</span>
      </p>
      <p className="problem-time">Scanned {new Date(problem.clientTime).toLocaleString()}</p>
      <div className="problem-actions">
        {canRetry(problem.type, problem.rejection.code) && (
          <button
            type="button"
            className="button button-primary"
            disabled={busy}
            onClick={() => run(async () => {
              const result = await retryProblem(problem.mutationId);
              return result.ok ? null : result.message;
            })}
          >
            Retry
          </button>
        )}
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => run(async () => {
            await discardProblem(problem.mutationId);
            return null;
          })}
        >
          Discard
        </button>
      </div>
      {message && (
        <p className="banner banner-error" role="alert">
          {message}
        </p>
      )}
    </li>
  );
}

export default function AttentionScreen() {
  const problems = useOpenProblems();
  return (
    <section className="screen">
      <h1>Needs attention</h1>
      {problems === undefined ? (
        <p className="loading">Loading…</p>
      ) : problems.length === 0 ? (
        <p className="lead">Nothing needs attention.</p>
      ) : (
        <ul className="problem-list">
          {problems.map((problem) => (
            <ProblemItem key={problem.mutationId} problem={problem} />
          ))}
        </ul>
      )}
      <Link className="button" to="/">
        Back to home
      </Link>
    </section>
  );
}
