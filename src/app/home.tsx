// The home screen: one big link per floor workflow.
import { useState } from 'react';
import { Link } from 'react-router';
import { THEMES, chooseTheme, storedTheme, type Theme } from './theme';
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
      <ThemeChoice />
    </section>
  );
}

/** The display theme for this device: sunlight for a bright dock, dark for a night shift. */
function ThemeChoice() {
  const [theme, setTheme] = useState<Theme>(storedTheme);
  return (
    <label className="field theme-choice">
      <span className="field-label">Display</span>
      <select
        value={theme}
        onChange={(event) => {
          const next = event.target.value as Theme;
          chooseTheme(next);
          setTheme(next);
        }}
      >
        {THEMES.map(({ value, label }) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </label>
  );
}
