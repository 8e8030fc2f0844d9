// One provider for what every workflow's screens run against: the device database, the workflow's
// commands and the Scan field's options. Each feature instantiates it once with its commands.
import { createContext, useContext, useMemo } from 'react';
import type { ReactNode } from 'react';
import type { WedgeOptions } from '../scanner/wedge';
import { db as appDb } from '../storage/db';
import type { DockhandDb } from '../storage/db';

export interface WorkflowDeps<Commands> {
  db: DockhandDb;
  commands: Commands;
  /** The Scan field's clock and windows; tests shorten the duplicate window. */
  wedgeOptions?: WedgeOptions;
}

/**
 * A test gives a fresh database (the commands default to the real ones on it), fake commands (the
 * database defaults to the app's), or both.
 */
export type WorkflowDepsProviderProps<Commands> = (
  | { db: DockhandDb; commands?: Commands }
  | { db?: DockhandDb; commands: Commands }
) & { wedgeOptions?: WedgeOptions; children: ReactNode };

/**
 * `name` labels the context in React DevTools; `makeCommands` builds the real commands on a database.
 * Without a Provider, `useDeps` answers the app's database and commands, built on first use so a
 * workflow's storage code runs only once its screen opens.
 */
export function createWorkflowDeps<Commands>(name: string, makeCommands: (db: DockhandDb) => Commands) {
  const Context = createContext<WorkflowDeps<Commands> | null>(null);
  Context.displayName = `${name}Deps`;
  let appDeps: WorkflowDeps<Commands> | null = null;

  function Provider({ db = appDb, commands, wedgeOptions, children }: WorkflowDepsProviderProps<Commands>) {
    const value = useMemo(
      () => ({ db, commands: commands ?? makeCommands(db), wedgeOptions }),
      [db, commands, wedgeOptions],
    );
    return <Context.Provider value={value}>{children}</Context.Provider>;
  }

  function appDefault(): WorkflowDeps<Commands> {
    appDeps ??= { db: appDb, commands: makeCommands(appDb) };
    return appDeps;
  }

  function useDeps(): WorkflowDeps<Commands> {
    return useContext(Context) ?? appDefault();
  }

  return { Provider, useDeps };
}
