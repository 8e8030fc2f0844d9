// Waves and pick lists: each list's progress in lines and units, status, picker and age, grouped by
// wave and filtered by owner, zone and status; a list opens to its lines and every scan on it.
import { useId, useMemo, useState } from 'react';
import type { PickListStatusFilter, PickListSummary } from '../../domain/supervisor-floor';
import { ProgressBar } from '../../ui/progress-bar';
import type { PickListFilter } from './commands';
import { useFloorData } from './floor-data';
import { ago, at, words } from './floor-format';
import { FloorStatus } from './floor-status';
import { PickListDetailView } from './pick-list-detail';
import { useSupervisorDeps } from './supervisor-context';

/** What moves a list's progress, status or assignment. */
const LIST_EVENTS = ['mutation-applied', 'mutation-rejected', 'order-status'] as const;

const STATUSES: { value: PickListStatusFilter; label: string }[] = [
  { value: 'active', label: 'Open, in progress or held' },
  { value: 'open', label: 'Open' },
  { value: 'in_progress', label: 'In progress' },
  { value: 'held', label: 'Held' },
  { value: 'done', label: 'Done' },
  { value: 'cancelled', label: 'Cancelled' },
  { value: 'all', label: 'All' },
];

interface WaveGroup {
  key: string;
  title: string;
  lists: PickListSummary[];
}

/** Lists by wave in the order they came (active first), lists of no wave last. */
function byWave(lists: PickListSummary[]): WaveGroup[] {
  const groups = new Map<string, WaveGroup>();
  for (const list of lists) {
    const key = list.wave?.id ?? '';
    const title = list.wave ? `Wave ${list.wave.number}${list.wave.status === 'held' ? ' (held)' : ''}` : 'Not in a wave';
    const group = groups.get(key) ?? { key, title, lists: [] };
    group.lists.push(list);
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => Number(a.key === '') - Number(b.key === ''));
}

function PickListCard({ list, now, onOpen }: { list: PickListSummary; now: number; onOpen: () => void }) {
  const lines = `${list.linesDone} of ${list.lines} lines`;
  const units = `${list.unitsPicked} of ${list.units} units${list.unitsShort > 0 ? `, ${list.unitsShort} short` : ''}`;
  return (
    <li className="pick-card">
      <p className="pick-card-title">
        <strong>{list.number}</strong> <span className="muted">{list.ownerCode}</span> <span className={`status-chip status-${list.status}`}>{words(list.status)}</span>
      </p>
      <ProgressBar label={`${list.number} lines`} value={list.linesDone} max={list.lines} text={lines} />
      <p className="pick-card-figure">{lines}</p>
      <ProgressBar label={`${list.number} units`} value={list.unitsPicked + list.unitsShort} max={list.units} text={units} />
      <p className="pick-card-figure">{units}</p>
      <p>
        Picker: {list.assignedUserName ?? 'anyone'}
        {list.lastScan && ` · last scan ${list.lastScan.userName} at ${at(list.lastScan.at)}`}
      </p>
      <p className="muted">
        {list.zones.length > 0 && `Zone ${list.zones.join(', ')} · `}
        {Number.isNaN(Date.parse(list.createdAt)) ? null : `${ago(list.createdAt, now)} old`}
      </p>
      <button type="button" className="button" onClick={onOpen}>
        Open {list.number}
      </button>
    </li>
  );
}

export function PickListsPanel() {
  const { commands } = useSupervisorDeps();
  const [filter, setFilter] = useState<PickListFilter>({ status: 'active' });
  const [opened, setOpened] = useState<string | null>(null);
  // Every owner and zone seen so far stays a choice, whatever the filter shows now.
  const [choices, setChoices] = useState<{ owners: readonly string[]; zones: readonly string[] }>({ owners: [], zones: [] });
  const state = useFloorData(async () => {
    const result = await commands.loadPickLists(filter);
    if (result.ok) {
      const { lists } = result.data;
      setChoices((seen) => ({
        owners: [...new Set([...seen.owners, ...lists.map((l) => l.ownerCode)])].sort(),
        zones: [...new Set([...seen.zones, ...lists.flatMap((l) => l.zones)])].sort(),
      }));
    }
    return result;
  }, JSON.stringify(filter), LIST_EVENTS);
  const ids = { owner: useId(), zone: useId(), status: useId() };
  const lists = useMemo(() => state.data?.value.lists ?? [], [state.data]);
  const groups = useMemo(() => byWave(lists), [lists]);
  const now = state.data?.at ?? 0;

  return (
    <div className="floor-panel">
      <form className="floor-filters" aria-label="Filter pick lists" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor={ids.owner}>Owner</label>
        <select id={ids.owner} value={filter.owner ?? ''} onChange={(e) => setFilter({ ...filter, owner: e.target.value || undefined })}>
          <option value="">All owners</option>
          {choices.owners.map((code) => (
            <option key={code} value={code}>
              {code}
            </option>
          ))}
        </select>
        <label htmlFor={ids.zone}>Zone</label>
        <select id={ids.zone} value={filter.zone ?? ''} onChange={(e) => setFilter({ ...filter, zone: e.target.value || undefined })}>
          <option value="">All zones</option>
          {choices.zones.map((zone) => (
            <option key={zone} value={zone}>
              {zone}
            </option>
          ))}
        </select>
        <label htmlFor={ids.status}>Status</label>
        <select id={ids.status} value={filter.status ?? 'active'} onChange={(e) => setFilter({ ...filter, status: e.target.value as PickListStatusFilter })}>
          {STATUSES.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </form>
      <FloorStatus state={state} what="the pick lists" />
      {opened && <PickListDetailView id={opened} onClose={() => setOpened(null)} onChanged={state.refresh} />}
      {state.data && lists.length === 0 && <p className="lead">No pick lists match.</p>}
      {groups.map((group) => (
        <section key={group.key} className="wave-group" aria-label={group.title}>
          <h3>
            {group.title} <span className="muted">({group.lists.length} {group.lists.length === 1 ? 'list' : 'lists'})</span>
          </h3>
          <ul className="pick-cards">
            {group.lists.map((list) => (
              <PickListCard key={list.id} list={list} now={now} onOpen={() => setOpened(list.id)} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
