// What the returns screens run against: the device database and the returns commands. Tests wrap
// the screens in a ReturnsProvider with a fresh database.
import { createWorkflowDeps } from '../../ui/workflow-deps';
import { createReturnsCommands } from './commands';

export const { Provider: ReturnsProvider, useDeps: useReturnsDeps } = createWorkflowDeps('Returns', createReturnsCommands);
