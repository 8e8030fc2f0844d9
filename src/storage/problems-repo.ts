// Rejected mutations ("Needs attention"): what the screen lists, with the codes a worker can see
// (product SKU, bin code) looked up in the view, and how a problem is marked resolved.
import type { DockhandDb, Problem } from './db';
import { getRow } from './rows';

export interface ProblemView extends Problem {
  /** The product the mutation named, as `SKU name`, when the view knows it. */
  product: string | null;
  /** Bin codes the mutation named (from, to, at), when the view knows them. */
  bins: string[];
  /** The pick list's number, for a pick-line mutation. */
  pickList: string | null;
}

const LOCATION_ARGS = ['locationId', 'fromLocationId', 'toLocationId'] as const;

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Open problems, oldest first, with labels from the view. */
export async function listOpenProblems(db: DockhandDb): Promise<ProblemView[]> {
  const problems = await db.problems.where('status').equals('open').sortBy('seq');
  return Promise.all(problems.map((problem) => labelProblem(db, problem)));
}

export function countOpenProblems(db: DockhandDb): Promise<number> {
  return db.problems.where('status').equals('open').count();
}

export function getProblem(db: DockhandDb, mutationId: string): Promise<Problem | undefined> {
  return db.problems.get(mutationId);
}

export async function resolveProblem(db: DockhandDb, mutationId: string): Promise<void> {
  await db.problems.update(mutationId, { status: 'resolved' });
}

async function labelProblem(db: DockhandDb, problem: Problem): Promise<ProblemView> {
  const { args } = problem;
  const line = text(args.pickLineId) ? await getRow(db, 'pickLines', String(args.pickLineId)) : undefined;
  const productId = text(args.productId) ?? line?.productId ?? null;
  const product = productId ? await getRow(db, 'products', productId) : undefined;
  const locationIds = LOCATION_ARGS.map((name) => text(args[name])).filter((id): id is string => id !== null);
  if (locationIds.length === 0 && line) locationIds.push(line.locationId);
  const bins = await Promise.all(locationIds.map(async (id) => (await getRow(db, 'locations', id))?.code ?? id));
  const list = line ? await getRow(db, 'pickLists', line.pickListId) : undefined;
  return {
    ...problem,
    product: product ? `${product.sku} ${product.name}` : productId,
    bins,
    pickList: list?.number ?? null,
  };
}
