// What a workflow screen shows before its view is there: loading, or not on this device.
import type { ReactNode } from 'react';
import { Link } from 'react-router';

export function ScreenLoading({ title }: { title?: ReactNode }) {
  return (
    <section className="screen">
      {title !== undefined && <h1>{title}</h1>}
      <p className="loading">Loading…</p>
    </section>
  );
}

export interface ScreenNotFoundProps {
  title: string;
  /** Why it may be missing. */
  lead: string;
  back: { to: string; label: string };
}

export function ScreenNotFound({ title, lead, back }: ScreenNotFoundProps) {
  return (
    <section className="screen">
      <h1>{title}</h1>
      <p className="lead">{lead}</p>
      <Link className="button" to={back.to}>
        {back.label}
      </Link>
    </section>
  );
}
