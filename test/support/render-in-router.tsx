// Renders screens inside a MemoryRouter opened at a path, for component tests, and keeps track of
// where the app navigates from there.
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { MemoryRouter, useLocation } from 'react-router';
import type { Location } from 'react-router';

export interface RouterProbe {
  /** The router's location now: updated on every navigation. */
  location: Location;
}

export function renderInRouter(path: string, ui: ReactNode): RouterProbe {
  const probe: RouterProbe = { location: null as unknown as Location };
  function Probe() {
    probe.location = useLocation();
    return null;
  }
  render(
    <MemoryRouter initialEntries={[path]}>
      {ui}
      <Probe />
    </MemoryRouter>,
  );
  return probe;
}
