// The event loop of a workflow screen: the domain reducer decides, this hook runs scans and presses
// one after another, carries out what each result asks (through the screen's commands), feeds the
// live view into the machine and gives the Scan field the keyboard back when a form closes.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { RefObject } from 'react';
import { flushSync } from 'react-dom';
import type { ScanEvent, ScanOutcome } from '../scanner/types';

/** What a handled event tells the scanner: the tone and colour, or nothing. */
export type Feedback = ScanOutcome | null;

/** What a workflow reducer answers: the next state, the feedback, and whatever it asks done. */
export interface WorkflowResult<S> {
  state: S;
  feedback: Feedback;
}

/** What a screen's `carryOut` may do while it runs: dispatch follow-up events, read the current state. */
export interface WorkflowControls<S, E, R> {
  dispatch: (event: E) => R;
  current: () => S;
}

export interface WorkflowOptions<V, S extends { view: V; step: string }, E, R extends WorkflowResult<S>> {
  /** The live view (sync pulls, other tabs, the screen's own commits); each new one goes to the machine. */
  view: V;
  /** The first state; called once. */
  start: () => S;
  reducer: (state: S, event: E) => R;
  /** The event that tells the machine the view changed. */
  viewUpdated: (view: V) => E;
  /** The event a scan becomes: resolved against the device when its turn comes, with the state then. */
  scanEvent: (text: string, state: S) => Promise<E>;
  /** Carries out what `result` asks (submit, reload, …) and answers the feedback for the user. */
  carryOut: (result: R, controls: WorkflowControls<S, E, R>) => Promise<Feedback>;
  /** The steps that show a form over the Scan field; leaving one for another step refocuses the Scan field. */
  forms: readonly S['step'][];
}

export interface Workflow<S, E, R> {
  state: S;
  /** For the screen's root element: the Scan field is looked up inside it. */
  rootRef: RefObject<HTMLElement | null>;
  /** Applies an event at once, outside the queue (for follow-ups inside `carryOut`). */
  dispatch: (event: E) => R;
  /** Queues a press: it runs after every earlier scan and press, and its result is carried out. */
  send: (event: E) => Promise<Feedback>;
  /** The Scan field's handler: queued like `send`. */
  onScan: (event: ScanEvent) => Promise<ScanOutcome | undefined>;
}

export function useWorkflow<V, S extends { view: V; step: string }, E, R extends WorkflowResult<S>>(
  options: WorkflowOptions<V, S, E, R>,
): Workflow<S, E, R> {
  const [state, setState] = useState<S>(options.start);
  const stateRef = useRef(state);
  /** Scans and button presses run one after another: each sees the state the previous one left. */
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const rootRef = useRef<HTMLElement>(null);
  // The callbacks below are stable; they read the options of the latest render.
  const latest = useRef(options);
  useLayoutEffect(() => {
    latest.current = options;
  });

  const dispatch = useCallback((event: E): R => {
    const result = latest.current.reducer(stateRef.current, event);
    stateRef.current = result.state;
    setState(result.state);
    return result;
  }, []);

  const { view } = options;
  useEffect(() => {
    if (view !== stateRef.current.view) dispatch(latest.current.viewUpdated(view));
  }, [view, dispatch]);

  // A follow-up is the outcome of a commit (confirmed, refused): it renders at once, so the next
  // frame shows it, rather than in a task React schedules after that frame.
  const controls = useMemo<WorkflowControls<S, E, R>>(
    () => ({
      dispatch: (event) => {
        let result: R | undefined;
        flushSync(() => {
          result = dispatch(event);
        });
        return result!;
      },
      current: () => stateRef.current,
    }),
    [dispatch],
  );
  const carryOut = useCallback((result: R) => latest.current.carryOut(result, controls), [controls]);

  const enqueue = useCallback((task: () => Promise<Feedback>): Promise<Feedback> => {
    const run = queue.current.catch(() => undefined).then(task);
    queue.current = run;
    return run;
  }, []);

  const send = useCallback((event: E) => enqueue(() => carryOut(dispatch(event))), [enqueue, carryOut, dispatch]);

  const onScan = useCallback(
    (event: ScanEvent): Promise<ScanOutcome | undefined> =>
      enqueue(async () => carryOut(dispatch(await latest.current.scanEvent(event.text, stateRef.current)))).then(
        (feedback) => feedback ?? undefined,
      ),
    [enqueue, carryOut, dispatch],
  );

  // Back from a form to scanning: the Scan field takes the keyboard (and the wedge) again.
  const previousStep = useRef(state.step);
  useEffect(() => {
    const { forms } = latest.current;
    const wasForm = forms.includes(previousStep.current);
    previousStep.current = state.step;
    if (wasForm && !forms.includes(state.step)) rootRef.current?.querySelector<HTMLInputElement>('input[name="scan"]')?.focus();
  }, [state.step]);

  return { state, rootRef, dispatch, send, onScan };
}
