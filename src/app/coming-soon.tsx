// Placeholder screen for a workflow that is not built yet: the link and route exist already.
import { Link } from 'react-router';
import type { WorkflowScreenProps } from './workflows';

export default function ComingSoon({ title }: WorkflowScreenProps) {
  return (
    <section className="screen">
      <h1>{title}</h1>
      <p className="lead">Coming soon.</p>
      <Link className="button" to="/">
        Back to home
      </Link>
    </section>
  );
}
