// What the returns screens run against: the device database and the commands. The app uses its
// own database; tests wrap the screens in a ReturnsProvider with a fresh database.
import { createContext, useContext, useMemo } from 'react';
import type { ReactNode } from 'react';
import type { WedgeOptions } from '../../scanner/wedge';
import { db as appDb } from '../../storage/db';
import type { DockhandDb } from '../../storage/db';
import { createReturnsCommands } from './commands';
import type { ReturnsCommands } from './commands';

export interface ReturnsDeps {
  db: DockhandDb;
  commands: ReturnsCommands;
  wedgeOptions?: WedgeOptions;
}

let appDeps: ReturnsDeps | null = null;

function defaultDeps(): ReturnsDeps {
  appDeps ??= { db: appDb, commands: createReturnsCommands(appDb) };
  return appDeps;
}

const ReturnsContext = createContext<ReturnsDeps | null>(null);

export interface ReturnsProviderProps {
  db: DockhandDb;
  commands?: ReturnsCommands;
  wedgeOptions?: WedgeOptions;
  children: ReactNode;
}

export function ReturnsProvider({ db, commands, wedgeOptions, children }: ReturnsProviderProps) {
  const value = useMemo(() => ({ db, commands: commands ?? createReturnsCommands(db), wedgeOptions }), [db, commands, wedgeOptions]);
  return <ReturnsContext.Provider value={value}>{children}</ReturnsContext.Provider>;
}

export function useReturnsDeps(): ReturnsDeps {
  return useContext(ReturnsContext) ?? defaultDeps();
}
