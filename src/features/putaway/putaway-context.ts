// What the putaway screen runs against: the device database and the putaway commands. Tests wrap
// the screen in a PutawayProvider with a fresh database.
import { createWorkflowDeps } from '../../ui/workflow-deps';
import { createPutawayCommands } from './commands';

export const { Provider: PutawayProvider, useDeps: usePutawayDeps } = createWorkflowDeps('Putaway', createPutawayCommands);
