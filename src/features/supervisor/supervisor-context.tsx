// What the supervisor screen runs against: the app's commands, or fakes a test provides.
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { createSupervisorCommands, type SupervisorCommands } from './commands';

let appCommands: SupervisorCommands | null = null;

const SupervisorContext = createContext<SupervisorCommands | null>(null);

export function SupervisorProvider({ commands, children }: { commands: SupervisorCommands; children: ReactNode }) {
  return <SupervisorContext.Provider value={commands}>{children}</SupervisorContext.Provider>;
}

export function useSupervisorCommands(): SupervisorCommands {
  const provided = useContext(SupervisorContext);
  if (provided) return provided;
  appCommands ??= createSupervisorCommands();
  return appCommands;
}
