/** Custom variable slots a click carries: var1 … var10 (docs/tracking.md). */
export const VAR_SLOTS = 10;

/** The longest value a variable (or another click parameter) keeps, in characters. */
export const MAX_VAR_LENGTH = 255;
