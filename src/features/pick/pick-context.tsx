// What the pick screens run against: the device database and the commands. The app uses its own
// database; tests wrap the screens in a PickProvider with a fresh database or fake commands.
import { createContext, useContext, useMemo } from 'react';
import type { ReactNode } from 'react';
import type { WedgeOptions } from '../../scanner/wedge';
import { db as appDb } from '../../storage/db';
import type { DockhandDb } from '../../storage/db';
import { createPickCommands } from './commands';
import type { PickCommands } from './commands';

export interface PickDeps {
  db: DockhandDb;
  commands: PickCommands;
  /** The Scan field's clock and windows; tests shorten the duplicate window. */
  wedgeOptions?: WedgeOptions;
}

let appDeps: PickDeps | null = null;

function defaultDeps(): PickDeps {
  appDeps ??= { db: appDb, commands: createPickCommands(appDb) };
  return appDeps;
}

const PickContext = createContext<PickDeps | null>(null);

export interface PickProviderProps {
  db: DockhandDb;
  /** Defaults to the real commands on `db`. */
  commands?: PickCommands;
  wedgeOptions?: WedgeOptions;
  children: ReactNode;
}

export function PickProvider({ db, commands, wedgeOptions, children }: PickProviderProps) {
  const value = useMemo(
    () => ({ db, commands: commands ?? createPickCommands(db), wedgeOptions }),
    [db, commands, wedgeOptions],
  );
  return <PickContext.Provider value={value}>{children}</PickContext.Provider>;
}

export function usePickDeps(): PickDeps {
  return useContext(PickContext) ?? defaultDeps();
}
