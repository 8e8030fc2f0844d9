// "Needs attention": every mutation the server rejected, with what was attempted, the server's
// reason, and the actions that fit. Nothing rejected is ever dropped silently. Rejections of the
// same kind on the same item and bin (two devices picked one list offline: 23 scans refused alike)
// are one group with one action, not 23 cards.
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

/** Rejections alike: same type, same refusal, same product, bins and pick list. */
interface ProblemGroup {
  key: string;
  problems: ProblemView[];
  /** Units the group's mutations carried. */
  units: number;
}

export function groupProblems(problems: readonly ProblemView[]): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup>();
  for (const problem of problems) {
    const key = [problem.type, problem.rejection.code, problem.product ?? '', problem.bins.join('>'), problem.pickList ?? ''].join('\u0000');
    const group = groups.get(key) ?? { key, problems: [], units: 0 };
    group.problems.push(problem);
    group.units += typeof problem.args.qty === 'number' ? problem.args.qty : 1;
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** What to do with units a refused pick left in the picker's hands. */
function groupInstruction(group: ProblemGroup): string | null {
  const first = group.problems[0]!;
  if (first.type !== 'pick') return null;
  const what = first.product?.split(' ')[0] ?? 'these units';
  const where = first.bins[0] ? ` in ${first.bins[0]}` : '';
  return `${group.units} ${group.units === 1 ? 'unit' : 'units'} of ${what} picked twice: put them back${where}.`;
}

function ProblemGroupItem({ group }: { group: ProblemGroup }) {
  const [busy, setBusy] = useState(false);
  const first = group.problems[0]!;
  const titleId = `problem-group-${first.mutationId}`;
  const instruction = groupInstruction(group);
  return (
    <li className="problem" aria-labelledby={titleId}>
      <h2 id={titleId} className="problem-title">
        {group.problems.length} scans refused alike: {attempted({ ...first, args: { ...first.args, qty: group.units } })}
      </h2>
      {instruction && <p className="problem-instruction"><strong>{instruction}</strong></p>}
      <p className="problem-reason">
        <strong>Refused:</strong> {first.rejection.message} <span className="problem-code">({first.rejection.code})</span>
      </p>
      <p className="problem-time">
        Scanned {new Date(first.clientTime).toLocaleString()} to {new Date(group.problems.at(-1)!.clientTime).toLocaleString()}
      </p>
      <div className="problem-actions">
        <button
          type="button"
          className="button button-primary"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            for (const problem of group.problems) await discardProblem(problem.mutationId);
            setBusy(false);
          }}
        >
          {instruction ? `Done: put back, clear all ${group.problems.length}` : `Clear all ${group.problems.length}`}
        </button>
      </div>
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
          {groupProblems(problems).map((group) =>
            group.problems.length === 1 ? <ProblemItem key={group.key} problem={group.problems[0]!} /> : <ProblemGroupItem key={group.key} group={group} />,
          )}
        </ul>
      )}
      <Link className="button" to="/">
        Back to home
      </Link>
    </section>
  );
}
