// Pickers: each one's units and lines per hour over the last hour and the shift, the list and bin
// they are at, how long they have been idle, and the shift as a chart (loaded only here).
import { lazy, Suspense } from 'react';
import type { PickersAnswer } from '../../domain/supervisor-floor';
import { useFloorData } from './floor-data';
import { at, duration } from './floor-format';
import { FloorStatus } from './floor-status';
import { useSupervisorDeps } from './supervisor-context';

const PickerChart = lazy(() => import('./picker-chart'));

/** Line colours, distinct for colour-blind readers (Okabe–Ito) and dark enough on white. */
export const PICKER_COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#000000', '#8a5a00', '#3a6f8f', '#7a5c00'] as const;

/** A scan applied moves a picker's figures. */
const PICKER_EVENTS = ['mutation-applied'] as const;

/** Idle this long, a picker is shown as idle. */
export const IDLE_AFTER_SECONDS = 5 * 60;

const shiftWords = (answer: PickersAnswer) =>
  answer.shift.basis === 'since-06:00'
    ? `since 06:00 warehouse time (${at(answer.shift.startedAt)} on this device’s clock)`
    : 'the last 8 hours (it is before 06:00, warehouse time)';

export function PickersPanel() {
  const { commands } = useSupervisorDeps();
  const state = useFloorData(() => commands.loadPickers(), 'pickers', PICKER_EVENTS);
  const answer = state.data?.value;

  return (
    <div className="floor-panel">
      <FloorStatus state={state} what="the pickers" />
      {answer && (
        <>
          <p>
            Shift: {shiftWords(answer)}. Rates per hour: over the last 60 minutes, and over the shift since each picker’s first scan.
          </p>
          {answer.pickers.length === 0 ? (
            <p className="lead">Nobody has picked this shift.</p>
          ) : (
            <>
              <div className="table-scroll" role="region" aria-label="Pickers" tabIndex={0}>
                <table className="supervisor-table">
                  <thead>
                    <tr>
                      <th scope="col">Picker</th>
                      <th scope="col">Units / h, last hour</th>
                      <th scope="col">Lines / h, last hour</th>
                      <th scope="col">Units / h, shift</th>
                      <th scope="col">Lines / h, shift</th>
                      <th scope="col">Units, shift</th>
                      <th scope="col">List</th>
                      <th scope="col">Last bin</th>
                      <th scope="col">Idle</th>
                    </tr>
                  </thead>
                  <tbody>
                    {answer.pickers.map((picker, i) => (
                      <tr key={picker.userId}>
                        <th scope="row">
                          <span className="swatch" style={{ background: PICKER_COLOURS[i % PICKER_COLOURS.length] }} aria-hidden="true" /> {picker.userName}
                        </th>
                        <td>{picker.lastHour.units}</td>
                        <td>{picker.lastHour.lines}</td>
                        <td>{picker.shift.unitsPerHour}</td>
                        <td>{picker.shift.linesPerHour}</td>
                        <td>{picker.shift.units}</td>
                        <td>{picker.currentList?.number ?? '–'}</td>
                        <td>{picker.lastBin ?? '–'}</td>
                        <td className={picker.idleSeconds >= IDLE_AFTER_SECONDS ? 'idle' : undefined}>{duration(picker.idleSeconds * 1000)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <figure className="picker-chart">
                <figcaption>Units picked per {answer.shift.bucketMinutes} minutes this shift</figcaption>
                <Suspense fallback={<p className="loading">Loading the chart…</p>}>
                  <PickerChart answer={answer} colours={PICKER_COLOURS} />
                </Suspense>
                <ul className="chart-key" aria-label="Shift totals">
                  {answer.pickers.map((picker, i) => (
                    <li key={picker.userId}>
                      <span className="swatch" style={{ background: PICKER_COLOURS[i % PICKER_COLOURS.length] }} aria-hidden="true" /> {picker.userName}: {picker.shift.units} {picker.shift.units === 1 ? 'unit' : 'units'},
                      best {answer.shift.bucketMinutes} minutes {Math.max(0, ...picker.series)}
                    </li>
                  ))}
                </ul>
              </figure>
            </>
          )}
        </>
      )}
    </div>
  );
}
