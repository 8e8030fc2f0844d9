// What the receive screens run against: the device database and the receive commands (today's
// date included). Tests wrap the screens in a ReceiveProvider with a fresh database.
import { createWorkflowDeps } from '../../ui/workflow-deps';
import { createReceiveCommands } from './commands';

export const { Provider: ReceiveProvider, useDeps: useReceiveDeps } = createWorkflowDeps('Receive', createReceiveCommands);
