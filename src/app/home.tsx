// The home screen: one big link per floor workflow.
import { Link } from 'react-router';
import { useSessionStore } from './session-store';
import { WORKFLOWS, workflowsFor } from './workflows';

export default function Home() {
  const user = useSessionStore((s) => s.user);
  return (
    <section className="screen">
      <h1 className="visually-hidden">Home</h1>
      {user && <p className="greeting">Hello, {user.displayName}</p>}
      <nav aria-label="Workflows">
        <ul className="workflow-list">
          {(user ? workflowsFor(user.role) : WORKFLOWS).map((workflow) => (
            <li key={workflow.id}>
              <Link className="workflow-link" to={workflow.path} aria-describedby={`wf-${workflow.id}`}>
                {workflow.label}
              </Link>
              <span id={`wf-${workflow.id}`} className="workflow-description">
                {workflow.description}
              </span>
            </li>
          ))}
        </ul>
      </nav>
    </section>
  );
}
