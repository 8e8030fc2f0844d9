// Live reads for "Needs attention": the open problems with their labels, and how many there are.
import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '../../storage/db';
import { countOpenProblems, listOpenProblems, type ProblemView } from '../../storage/problems-repo';

/** Open problems, oldest first; undefined while loading. */
export function useOpenProblems(): ProblemView[] | undefined {
  return useLiveQuery(() => listOpenProblems(db), []);
}

export function useOpenProblemCount(): number {
  return useLiveQuery(() => countOpenProblems(db), [], 0);
}
