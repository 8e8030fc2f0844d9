// What the pack station runs against: the device database and the pack commands. Tests wrap the
// screen in a PackProvider with a fresh database or fake commands.
import { createWorkflowDeps } from '../../ui/workflow-deps';
import { createPackCommands } from './commands';

export const { Provider: PackProvider, useDeps: usePackDeps } = createWorkflowDeps('Pack', createPackCommands);
