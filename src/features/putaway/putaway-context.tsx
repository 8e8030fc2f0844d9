// What the putaway screen runs against: the device database and the commands. The app uses its
// own database; tests wrap the screen in a PutawayProvider with a fresh database.
import { createContext, useContext, useMemo } from 'react';
import type { ReactNode } from 'react';
import type { WedgeOptions } from '../../scanner/wedge';
import { db as appDb } from '../../storage/db';
import type { DockhandDb } from '../../storage/db';
import { createPutawayCommands } from './commands';
import type { PutawayCommands } from './commands';

export interface PutawayDeps {
  db: DockhandDb;
  commands: PutawayCommands;
  wedgeOptions?: WedgeOptions;
}

let appDeps: PutawayDeps | null = null;

function defaultDeps(): PutawayDeps {
  appDeps ??= { db: appDb, commands: createPutawayCommands(appDb) };
  return appDeps;
}

const PutawayContext = createContext<PutawayDeps | null>(null);

export interface PutawayProviderProps {
  db: DockhandDb;
  commands?: PutawayCommands;
  wedgeOptions?: WedgeOptions;
  children: ReactNode;
}

export function PutawayProvider({ db, commands, wedgeOptions, children }: PutawayProviderProps) {
  const value = useMemo(() => ({ db, commands: commands ?? createPutawayCommands(db), wedgeOptions }), [db, commands, wedgeOptions]);
  return <PutawayContext.Provider value={value}>{children}</PutawayContext.Provider>;
}

export function usePutawayDeps(): PutawayDeps {
  return useContext(PutawayContext) ?? defaultDeps();
}
