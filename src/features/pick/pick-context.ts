// What the pick screens run against: the device database and the pick commands. Tests wrap the
// screens in a PickProvider with a fresh database or fake commands.
import { createWorkflowDeps } from '../../ui/workflow-deps';
import { createPickCommands } from './commands';

export const { Provider: PickProvider, useDeps: usePickDeps } = createWorkflowDeps('Pick', createPickCommands);
