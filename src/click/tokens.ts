/** Offer and lander URL tokens (SPEC §3, §11). Anything else in braces stays as written. */
export const TOKEN_NAMES = [
  "clickid",
  "campaign.id",
  "offer.id",
  "offer.name",
  "lander.id",
  "lander.name",
  "country.code",
  "externalid",
  ...Array.from({ length: 10 }, (_, i) => `var${i + 1}`),
] as const;

export type TokenName = (typeof TOKEN_NAMES)[number];
const KNOWN = new Set<string>(TOKEN_NAMES);

/**
 * Replaces known `{token}`s with URL-encoded values in one pass, so a value that itself contains
 * "{clickid}" is never expanded again, and nothing a visitor sends can add a scheme, host or path.
 */
export function fillTokens(template: string, values: Partial<Record<TokenName, string>>): string {
  return template.replace(/\{([A-Za-z0-9_.]+)\}/g, (whole, name: string) =>
    KNOWN.has(name) ? encodeURIComponent(values[name as TokenName] ?? "") : whole,
  );
}
