// What the supervisor screen runs against: the app's commands, or fakes a test provides in a
// SupervisorProvider.
import { createWorkflowDeps } from '../../ui/workflow-deps';
import { createSupervisorCommands } from './commands';

export const { Provider: SupervisorProvider, useDeps: useSupervisorDeps } = createWorkflowDeps('Supervisor', createSupervisorCommands);
