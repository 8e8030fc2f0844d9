// The mutations the floor sends: intents ("picked 3 of X from bin B for line L"), never
// resulting values. One versioned zod schema per type; the envelope carries the identity the
// server needs to apply each exactly once.
import { z } from 'zod';
import { Disposition, IsoDate, ShortReason } from './entities';
import { isStorableText, jsonProblem, text, Uuid } from './text';

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

/** Version 2: the lot a GS1 label on the unit carried, checked against the lots picked for the order. */
export const PackArgsV2 = PackArgs.extend({
  lot: Lot.nullable().default(null),
});

/** A carton's name at the station: `1`, `2`, or a sort wall's `slot-3`. */
const CartonLabel = z.string().trim().min(1).max(40);
/** A serial number as GS1 AI 21 carries it: up to 20 characters. */
const Serial = z.string().trim().min(1).max(20);

/** Version 3: the unit's serial number, for a serial-tracked product (one unit a scan). */
export const PackArgsV3 = PackArgsV2.extend({
  serial: Serial.nullable().default(null),
});

/** Why a carton may leave short, and the supervisor's one-time code that allows it. */
export const ShortClose = z.object({
  reason: z.string().trim().min(1).max(200),
  overrideCode: z.string().trim().min(1).max(40),
});

/** A carton closed with its box and its weight; the order's last carton may close short. */
export const CloseCartonArgs = z.object({
  orderId: Id,
  carton: CartonLabel,
  cartonTypeId: Id,
  /** As the scale read it, in grams. */
  weightGrams: z.number().int().positive().max(1_000_000),
  short: ShortClose.nullable().default(null),
});

/** Units moved from one open carton of an order to another (created when new). */
export const RepackArgs = z.object({
  orderId: Id,
  fromCarton: CartonLabel,
  toCarton: CartonLabel,
  productId: Id,
  lot: Lot.nullable().default(null),
  serial: Serial.nullable().default(null),
  qty: Units,
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

/** Version 3 of `restock`: why a returned unit is damaged ("Crushed", "Leaking"…), as receiving records it. */
export const RestockArgsV3 = RestockArgsV2.extend({
  damageReason: z.string().trim().min(1).max(200).nullable().default(null),
});

/** The picker opening a pick list takes it; `takeOver` after being told another picker holds it. */
export const ClaimPickListArgs = z.object({
  pickListId: Id,
  takeOver: z.boolean().default(false),
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
  pack: [PackArgs, PackArgsV2, PackArgsV3],
  ship: [ShipArgs],
  'close-carton': [CloseCartonArgs],
  repack: [RepackArgs],
  'return-receive': [ReturnReceiveArgs],
  restock: [RestockArgs, RestockArgsV2, RestockArgsV3],
  'close-receipt': [CloseReceiptArgs],
  'claim-pick-list': [ClaimPickListArgs],
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

/** Highest mutation version a server will ever read: far above any real one, far below the integer column's 2^31. */
export const MAX_MUTATION_VERSION = 1000;
/** Longest mutation type name. */
export const MAX_TYPE_LENGTH = 40;
/** Longest client time, an ISO 8601 timestamp with room to spare. */
export const MAX_CLIENT_TIME_LENGTH = 40;

/**
 * What makes a mutation itself: its id (canonical lower case, so a replay matches whatever case
 * it was sent in) and its place in the device's sequence. A batch with a bad identity is refused
 * whole (400); the device never produces one.
 */
export const MutationIdentity = z.object({
  id: Uuid,
  seq: z.number().int().positive(),
});

/** A mutation as the device stores and pushes it. `args` is checked against its type's schema. */
export const MutationEnvelope = MutationIdentity.extend({
  type: text().min(1).max(MAX_TYPE_LENGTH),
  version: z.number().int().min(1).max(MAX_MUTATION_VERSION),
  args: z.record(z.string(), z.unknown()),
  /** The device's clock when the user acted: for people to read, never used for ordering. */
  clientTime: text().max(MAX_CLIENT_TIME_LENGTH),
});
export type MutationEnvelope = z.infer<typeof MutationEnvelope>;

/**
 * A mutation as the server receives it: the identity checked with the batch, the content (type,
 * version, args, client time) kept as sent. A problem in the content is the mutation's own fault,
 * found by `parseMutation` and stored as its rejection, so the device's sequence moves past it.
 */
export const PushedMutation = MutationIdentity.extend({
  type: z.unknown().describe(`The mutation type, 1 to ${MAX_TYPE_LENGTH} characters, e.g. "pick"`),
  version: z.unknown().describe(`The type's version, a whole number from 1 to ${MAX_MUTATION_VERSION}`),
  args: z.unknown().describe("A JSON object matching the type's schema (src/domain/mutations.ts)"),
  clientTime: z.unknown().describe(`The device's clock when the user acted, at most ${MAX_CLIENT_TIME_LENGTH} characters`),
});
export type PushedMutation = z.infer<typeof PushedMutation>;

/** A mutation checked against its version and read as the type's newest version. */
export type ParsedMutation = { [T in MutationType]: { type: T; version: number; args: ArgsOf<T> } }[MutationType];

export type ParseResult =
  | { ok: true; mutation: ParsedMutation }
  | { ok: false; unsupported: true; message: string }
  | {
      ok: false;
      unsupported: false;
      message: string;
      /** Which part of the mutation is wrong: type, version, args or clientTime. */
      field: 'type' | 'version' | 'args' | 'clientTime';
      issues: z.core.$ZodIssue[];
    };

type Malformed = Extract<ParseResult, { unsupported: false }>;

const malformed = (field: Malformed['field'], message: string, issues: z.core.$ZodIssue[] = []): Malformed =>
  ({ ok: false, unsupported: false, field, message, issues });

/**
 * Checks a mutation's content against its type and version. A type or version that is well
 * formed but unknown is `unsupported` (a newer client: stored as UNSUPPORTED_VERSION); anything
 * else wrong is malformed, naming the field: a type or client time that is not short storable
 * text, a version that is not an integer from 1 to MAX_MUTATION_VERSION, args that are not a JSON
 * object PostgreSQL can store within the bounds of `jsonProblem` (extra fields included, as the
 * server keeps the args as sent), or args its schema refuses.
 */
export function parseMutation(type: unknown, version: unknown, args: unknown, clientTime: unknown = ''): ParseResult {
  if (typeof type !== 'string' || type.length === 0 || type.length > MAX_TYPE_LENGTH || !isStorableText(type)) {
    return malformed('type', `type must be storable text of 1 to ${MAX_TYPE_LENGTH} characters.`);
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > MAX_MUTATION_VERSION) {
    return malformed('version', `version must be a whole number from 1 to ${MAX_MUTATION_VERSION}.`);
  }
  if (typeof clientTime !== 'string' || clientTime.length > MAX_CLIENT_TIME_LENGTH || !isStorableText(clientTime)) {
    return malformed('clientTime', `clientTime must be storable text of at most ${MAX_CLIENT_TIME_LENGTH} characters.`);
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return malformed('args', 'args must be a JSON object.');
  const problem = jsonProblem(args);
  if (problem) return malformed('args', `args ${problem}.`);

  const versions = (MUTATION_SCHEMAS as Record<string, readonly z.ZodType[] | undefined>)[type];
  const schema = versions?.[version - 1];
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
  if (!parsed.success) return malformed('args', z.prettifyError(parsed.error), parsed.error.issues);
  // An older version's args are the newest's with its defaults (see MUTATION_SCHEMAS).
  const current = currentSchema(type as MutationType).parse(parsed.data);
  return { ok: true, mutation: { type, version, args: current } as ParsedMutation };
}

export { IsoDate };
