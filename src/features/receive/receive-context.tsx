// What the receive screens run against: the device database, the commands and today's date. The
// app uses its own database; tests wrap the screens in a ReceiveProvider with a fresh database.
import { createContext, useContext, useMemo } from 'react';
import type { ReactNode } from 'react';
import type { WedgeOptions } from '../../scanner/wedge';
import { db as appDb } from '../../storage/db';
import type { DockhandDb } from '../../storage/db';
import { warehouseDate } from '../../storage/outbox';
import { createReceiveCommands } from './commands';
import type { ReceiveCommands } from './commands';

export interface ReceiveDeps {
  db: DockhandDb;
  commands: ReceiveCommands;
  /** Today at the warehouse (`YYYY-MM-DD`) in its time zone (the receipt view's), for expiry checks. */
  today: (timeZone: string | undefined) => string;
  /** The Scan field's clock and windows; tests shorten the duplicate window. */
  wedgeOptions?: WedgeOptions;
}

const todayAtWarehouse = (timeZone: string | undefined) => warehouseDate(timeZone, new Date());

let appDeps: ReceiveDeps | null = null;

function defaultDeps(): ReceiveDeps {
  if (!appDeps) {
    appDeps = { db: appDb, commands: createReceiveCommands(appDb), today: todayAtWarehouse };
  }
  return appDeps;
}

const ReceiveContext = createContext<ReceiveDeps | null>(null);

export interface ReceiveProviderProps {
  db: DockhandDb;
  /** Defaults to the real commands on `db`. */
  commands?: ReceiveCommands;
  today?: (timeZone: string | undefined) => string;
  wedgeOptions?: WedgeOptions;
  children: ReactNode;
}

export function ReceiveProvider({ db, commands, today, wedgeOptions, children }: ReceiveProviderProps) {
  const value = useMemo(
    () => ({ db, commands: commands ?? createReceiveCommands(db), today: today ?? todayAtWarehouse, wedgeOptions }),
    [db, commands, today, wedgeOptions],
  );
  return <ReceiveContext.Provider value={value}>{children}</ReceiveContext.Provider>;
}

export function useReceiveDeps(): ReceiveDeps {
  return useContext(ReceiveContext) ?? defaultDeps();
}
