// What the print controls run against: the device database and the print commands. Tests wrap
// the controls in a PrintProvider with a fresh database or fake commands.
import { createWorkflowDeps } from '../../ui/workflow-deps';
import { createPrintCommands } from './print-commands';

export const { Provider: PrintProvider, useDeps: usePrintDeps } = createWorkflowDeps('Print', (db) => createPrintCommands(db));
