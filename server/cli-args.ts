// What the command-line tools share: their flags read strictly, and a mistake in them told apart
// from a failure (exit 2 and the usage, not a stack trace).
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The command line itself is wrong: say why and show the usage. */
export class UsageError extends Error {}

type Flags = NonNullable<ParseArgsConfig['options']>;

/** The flags `options` declares, from `argv`; anything else (an unknown flag, a stray word) is a UsageError. */
export function readFlags<const T extends Flags>(argv: string[], options: T): ReturnType<typeof parseArgs<{ args: string[]; strict: true; allowPositionals: false; options: T }>>['values'] {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
