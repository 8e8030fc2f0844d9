// What is wrong with a damaged unit, as the floor says it: offered when receiving and when a
// returned unit is set aside as damaged, one press each ("Other" is typed).
/** Reasons offered for damaged units, in the order shown. */
export const DAMAGE_REASONS: readonly string[] = ['Crushed', 'Wet', 'Torn packaging', 'Broken', 'Leaking', 'Other'];
