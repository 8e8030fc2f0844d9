// The floor workflows, each declared once in floor order: the home screen's entries and the
// router's routes both come from this list (src/app/README.md describes adding one).
import { lazy } from 'react';
import type { ComponentType, LazyExoticComponent } from 'react';
import type { Role } from '../domain/entities';

export interface WorkflowScreenProps {
  /** The workflow's label, for the screen's heading. */
  title: string;
}

/** A screen under the workflow's path, such as one document opened from its list. */
export interface WorkflowRoute {
  /** Relative to the workflow's path; the screen reads its parameters (`:receiptId`) by name. */
  path: string;
  screen: LazyExoticComponent<ComponentType>;
}

export interface Workflow {
  id: 'receive' | 'putaway' | 'pick' | 'pack' | 'returns' | 'supervisor' | 'admin';
  /** The link's exact text: its accessible name, which the acceptance tests use. */
  label: string;
  path: string;
  /** One line under the link saying what the workflow is for. */
  description: string;
  /** What `path` shows, given `label` as its title. Lazy: the first paint carries no screen. */
  screen: LazyExoticComponent<ComponentType<WorkflowScreenProps>>;
  routes?: readonly WorkflowRoute[];
  /** Only these roles are offered the entry (the server refuses the rest anyway); absent: everyone. */
  roles?: readonly Role[];
}

export const WORKFLOWS: readonly Workflow[] = [
  {
    id: 'receive',
    label: 'Receive',
    path: '/receive',
    description: 'Check in an inbound receipt',
    screen: lazy(() => import('../features/receive/receipts-screen')),
    routes: [{ path: ':receiptId', screen: lazy(() => import('../features/receive/receive-screen')) }],
  },
  {
    id: 'putaway',
    label: 'Put away',
    path: '/putaway',
    description: 'Move received stock to its bin',
    screen: lazy(() => import('../features/putaway/putaway-screen')),
  },
  {
    id: 'pick',
    label: 'Pick',
    path: '/pick',
    description: 'Work a pick list bin by bin',
    screen: lazy(() => import('../features/pick/pick-lists-screen')),
    routes: [{ path: ':pickListId', screen: lazy(() => import('../features/pick/pick-screen')) }],
  },
  {
    id: 'pack',
    label: 'Pack',
    path: '/pack',
    description: 'Pack and ship an order',
    screen: lazy(() => import('../features/pack/pack-screen')),
  },
  {
    id: 'returns',
    label: 'Returns',
    path: '/returns',
    description: 'Process a customer return',
    screen: lazy(() => import('../features/returns/returns-list-screen')),
    routes: [{ path: ':returnId', screen: lazy(() => import('../features/returns/return-screen')) }],
  },
  {
    id: 'supervisor',
    label: 'Supervisor',
    path: '/supervisor',
    description: 'Pick progress, pickers, exceptions and devices',
    screen: lazy(() => import('../features/supervisor/supervisor-screen')),
    roles: ['supervisor', 'admin'],
  },
  {
    id: 'admin',
    label: 'Admin',
    path: '/admin',
    description: 'Owners, users, devices, integrations, carton types, CSV files',
    screen: lazy(() => import('../features/admin/admin-screen')),
    roles: ['admin'],
  },
];

/** The workflows `role` is offered on the home screen. */
export const workflowsFor = (role: Role): readonly Workflow[] => WORKFLOWS.filter((workflow) => !workflow.roles || workflow.roles.includes(role));
