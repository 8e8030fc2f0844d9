// What the admin console runs against: the app's commands, or fakes a test provides in an
// AdminProvider.
import { createWorkflowDeps } from '../../ui/workflow-deps';
import { createAdminCommands } from './commands';

export const { Provider: AdminProvider, useDeps: useAdminDeps } = createWorkflowDeps('Admin', createAdminCommands);
