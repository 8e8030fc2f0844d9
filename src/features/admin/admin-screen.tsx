// The admin console (/admin, admins only): owners, integrations, users, devices, carton types and
// the CSV imports and exports, one section at a time (`?section=`). Online only: every section
// reads and writes the server directly, so offline it says so instead of showing stale lists.
import type { ComponentType } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useSyncStatus } from '../../sync/status-store';
import CartonTypesSection from './carton-types-section';
import { ADMIN_OFFLINE } from './commands';
import CsvSection from './csv-section';
import DevicesSection from './devices-section';
import IntegrationsSection from './integrations-section';
import LabelSheets from './label-sheets';
import OwnersSection from './owners-section';
import UsersSection from './users-section';
import './admin.css';

export interface AdminSection {
  /** The `?section=` value. */
  id: string;
  /** The menu entry's text, and its accessible name. */
  label: string;
  section: ComponentType;
}

/**
 * The console's sections in menu order: a new one (bin and LPN label sheets, say) is one entry
 * here with its component in this folder.
 */
export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { id: 'owners', label: 'Owners', section: OwnersSection },
  { id: 'integrations', label: 'Integrations', section: IntegrationsSection },
  { id: 'users', label: 'Users', section: UsersSection },
  { id: 'devices', label: 'Devices', section: DevicesSection },
  { id: 'carton-types', label: 'Carton types', section: CartonTypesSection },
  { id: 'csv', label: 'Imports and exports', section: CsvSection },
  { id: 'labels', label: 'Labels', section: LabelSheets },
];

export default function AdminScreen({ title = 'Admin' }: { title?: string }) {
  const [params] = useSearchParams();
  const online = useSyncStatus((s) => s.online);
  const current = ADMIN_SECTIONS.find((section) => section.id === params.get('section')) ?? ADMIN_SECTIONS[0]!;
  const Section = current.section;
  return (
    <section className="screen admin-screen">
      <h1>{title}</h1>
      <nav aria-label="Admin sections">
        <ul className="admin-menu">
          {ADMIN_SECTIONS.map((section) => (
            <li key={section.id}>
              <Link className="button admin-menu-link" to={`?section=${section.id}`} aria-current={section === current ? 'page' : undefined}>
                {section.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="admin-section">
        {online ? (
          <Section key={current.id} />
        ) : (
          <p className="admin-notice admin-notice-bad" role="alert">
            {ADMIN_OFFLINE}
          </p>
        )}
      </div>
      <p>
        <Link className="button" to="/">
          Back to home
        </Link>
      </p>
    </section>
  );
}
