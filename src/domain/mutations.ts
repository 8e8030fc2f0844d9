// The mutations the floor sends: intents ("picked 3 of X from bin B for line L"), never
// resulting values. One versioned zod schema per type; the envelope carries the identity the
// server needs to apply each exactly once.
import { z } from 'zod';
import { Disposition, IsoDate, ShortReason } from './entities';

const Id = z.string().min(1).max(100);
const Units = z.number().int().positive().max(100_000);
const Lot = z.string().trim().min(1).max(40);

export const ReceiveArgs = z.object({
  receiptId: Id,
  productId: Id,
  /** Good units received (may be 0 when only damaged units are recorded). */
  qty: z.number().int().nonnegative().max(100_000),
  damagedQty: z.number().int().nonnegative().max(100_000).default(0),
  damageReason: z.string().max(200).nullable().default(null),
  lot: Lot.nullable().default(null),
  /** As scanned or typed; validated by the rule so a bad date is a rejection with a reason. */
  expiry: z.string().max(20).nullable().default(null),
  lpn: z.string().max(40).nullable().default(null),
});

export const MoveArgs = z.object({
  productId: Id,
  fromLocationId: Id,
  toLocationId: Id,
  lot: Lot.nullable().default(null),
  lpn: z.string().max(40).nullable().default(null),
  qty: Units,
  /** The bin the app suggested; a different `toLocationId` needs `overrideReason`. */
  suggestedLocationId: Id.nullable().default(null),
  overrideReason: z.string().max(200).nullable().default(null),
});

export const PickArgs = z.object({
  pickLineId: Id,
  locationId: Id,
  productId: Id,
  lot: Lot.nullable().default(null),
  qty: Units,
});

export const UnpickArgs = z.object({
  pickLineId: Id,
  qty: Units,
});

export const ShortPickArgs = z.object({
  pickLineId: Id,
  qty: Units,
  reason: ShortReason,
});

export const PackArgs = z.object({
  orderId: Id,
  productId: Id,
  qty: Units,
  cartonId: z.string().max(40).nullable().default(null),
});

export const ShipArgs = z.object({
  orderId: Id,
  carrier: z.string().min(1).max(40),
  trackingNumber: z.string().min(1).max(60),
});

export const ReturnReceiveArgs = z.object({
  returnId: Id,
  productId: Id,
  lot: Lot.nullable().default(null),
  qty: Units,
});

export const RestockArgs = z.object({
  returnId: Id,
  productId: Id,
  lot: Lot.nullable().default(null),
  qty: Units,
  disposition: Disposition,
  /** Destination bin for `restock`; damaged and quarantine go to their own locations. */
  toLocationId: Id.nullable().default(null),
});

/** Version 2 of `restock`: the reason given for a bin other than the suggested one travels too. */
export const RestockArgsV2 = RestockArgs.extend({
  /** Why the units went into another bin than the suggested one ("Other bin"); null when they did not. */
  overrideReason: z.string().trim().min(1).max(200).nullable().default(null),
});

export const CloseReceiptArgs = z.object({
  receiptId: Id,
});

/**
 * Every mutation type with its schemas, version 1 first. Add a version at the end; never change
 * one. A newer version may only add fields with defaults, so an older version's args read as the
 * newest, which is what the device sends and every rule reads.
 */
export const MUTATION_SCHEMAS = {
  receive: [ReceiveArgs],
  move: [MoveArgs],
  pick: [PickArgs],
  unpick: [UnpickArgs],
  'short-pick': [ShortPickArgs],
  pack: [PackArgs],
  ship: [ShipArgs],
  'return-receive': [ReturnReceiveArgs],
  restock: [RestockArgs, RestockArgsV2],
  'close-receipt': [CloseReceiptArgs],
} as const;

export type MutationType = keyof typeof MUTATION_SCHEMAS;
export const MUTATION_TYPES = Object.keys(MUTATION_SCHEMAS) as MutationType[];

type Newest<L> = L extends readonly [...unknown[], infer Last] ? Last : never;
type CurrentSchema<T extends MutationType> = Newest<(typeof MUTATION_SCHEMAS)[T]>;

/** A type's newest schema. */
export function currentSchema<T extends MutationType>(type: T): CurrentSchema<T> {
  const versions = MUTATION_SCHEMAS[type];
  return versions[versions.length - 1] as CurrentSchema<T>;
}

/** The version a type is sent as: its newest. */
export function currentVersion(type: MutationType): number {
  return MUTATION_SCHEMAS[type].length;
}

export type ArgsOf<T extends MutationType> = z.output<CurrentSchema<T>>;
export type ArgsInputOf<T extends MutationType> = z.input<CurrentSchema<T>>;

/** A mutation as the device stores and pushes it. `args` is checked against its type's schema. */
export const MutationEnvelope = z.object({
  id: z.uuid(),
  seq: z.number().int().positive(),
  type: z.string().min(1).max(40),
  version: z.number().int().positive(),
  args: z.record(z.string(), z.unknown()),
  /** The device's clock when the user acted: for people to read, never used for ordering. */
  clientTime: z.string().max(40),
});
export type MutationEnvelope = z.infer<typeof MutationEnvelope>;

/** A mutation checked against its version and read as the type's newest version. */
export type ParsedMutation = { [T in MutationType]: { type: T; version: number; args: ArgsOf<T> } }[MutationType];

export type ParseResult =
  | { ok: true; mutation: ParsedMutation }
  | { ok: false; unsupported: true; message: string }
  | { ok: false; unsupported: false; message: string; issues: z.core.$ZodIssue[] };

/**
 * Checks a mutation's args against its type and version. An unknown type or version is
 * `unsupported` (a newer client: stored as UNSUPPORTED_VERSION); bad args are malformed.
 */
export function parseMutation(type: string, version: number, args: unknown): ParseResult {
  const versions = (MUTATION_SCHEMAS as Record<string, readonly z.ZodType[] | undefined>)[type];
  const schema = Number.isInteger(version) && version >= 1 ? versions?.[version - 1] : undefined;
  if (!schema) {
    return {
      ok: false,
      unsupported: true,
      message: versions
        ? `This server does not know version ${version} of "${type}". Update the app and the server.`
        : `This server does not know the mutation "${type}". Update the server.`,
    };
  }
  const parsed = schema.safeParse(args);
  if (!parsed.success) {
    return { ok: false, unsupported: false, message: z.prettifyError(parsed.error), issues: parsed.error.issues };
  }
  // An older version's args are the newest's with its defaults (see MUTATION_SCHEMAS).
  const current = currentSchema(type as MutationType).parse(parsed.data);
  return { ok: true, mutation: { type, version, args: current } as ParsedMutation };
}

export { IsoDate };
