// The floor workflows the home screen offers, in floor order. Each entry is one documented shape:
// its link label (an accessible name the acceptance tests use), its path and its lazily loaded
// screen. A workflow is built by pointing `screen` at its feature's screen.
import { lazy } from 'react';
import type { ComponentType, LazyExoticComponent } from 'react';
import type { Role } from '../domain/entities';

export interface WorkflowScreenProps {
  /** The workflow's label, for the screen's heading. */
  title: string;
}

export interface Workflow {
  id: 'receive' | 'putaway' | 'pick' | 'pack' | 'returns' | 'supervisor';
  /** The link's exact text. */
  label: string;
  path: string;
  /** One line under the link saying what the workflow is for. */
  description: string;
  screen: LazyExoticComponent<ComponentType<WorkflowScreenProps>>;
  /** Only these roles are offered the entry (the server refuses the rest anyway); absent: everyone. */
  roles?: readonly Role[];
}


const ComingSoon = lazy(() => import('./coming-soon'));
const PickListsScreen = lazy(() => import('../features/pick/pick-lists-screen'));
const ReceiptsScreen = lazy(() => import('../features/receive/receipts-screen'));
const PutawayScreen = lazy(() => import('../features/putaway/putaway-screen'));
const ReturnsListScreen = lazy(() => import('../features/returns/returns-list-screen'));
const SupervisorScreen = lazy(() => import('../features/supervisor/supervisor-screen'));

export const WORKFLOWS: readonly Workflow[] = [
  { id: 'receive', label: 'Receive', path: '/receive', description: 'Check in an inbound receipt', screen: ReceiptsScreen },
  { id: 'putaway', label: 'Put away', path: '/putaway', description: 'Move received stock to its bin', screen: PutawayScreen },
  { id: 'pick', label: 'Pick', path: '/pick', description: 'Work a pick list bin by bin', screen: PickListsScreen },
  { id: 'pack', label: 'Pack', path: '/pack', description: 'Pack and ship an order', screen: ComingSoon },
  { id: 'returns', label: 'Returns', path: '/returns', description: 'Process a customer return', screen: ReturnsListScreen },
  { id: 'supervisor', label: 'Supervisor', path: '/supervisor', description: 'Devices with unsent work', screen: SupervisorScreen, roles: ['supervisor', 'admin'] },
];

/** The workflows `role` is offered on the home screen. */
export const workflowsFor = (role: Role): readonly Workflow[] => WORKFLOWS.filter((workflow) => !workflow.roles || workflow.roles.includes(role));
