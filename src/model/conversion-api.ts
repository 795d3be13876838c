import { z } from "zod";
import type { StoredConversionApiSettings } from "../db/schema";

/** The platforms a traffic source can send approved conversions to (docs/conversion-apis.md). */
export const PLATFORMS = ["meta", "tiktok", "google"] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Fields never answered, shown or logged: the API answers "set" in their place. */
export const SECRET_FIELDS = {
  meta: ["accessToken"],
  tiktok: ["accessToken"],
  google: ["developerToken", "clientSecret", "refreshToken"],
} as const satisfies Record<Platform, readonly string[]>;
export type SecretField = (typeof SECRET_FIELDS)[Platform][number];
export type Secrets = Partial<Record<SecretField, string>>;

/** Each platform's default event name; Google names none (its conversion action is the event). */
export const DEFAULT_EVENT = { meta: "Purchase", tiktok: "CompletePayment" } as const;

const text = (max: number) => z.string().trim().min(1, "is required").max(max, `must be at most ${max} characters`);
// Secrets are optional here: a PATCH that leaves one out keeps the stored one (store.ts checks that each is set).
const secret = text(4096).optional();
const digits = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{1,20}$/, `must be the ${what}, digits only`);
// Google Ads customer IDs are shown as 123-456-7890; the API wants the 10 digits alone.
const customerId = z
  .string()
  .trim()
  .transform((v) => v.replace(/-/g, ""))
  .pipe(z.string().regex(/^\d{10}$/, "must be the 10-digit customer ID (dashes allowed)"));

const eventNames = z
  .record(text(100), text(100))
  .refine((names) => Object.keys(names).length <= 50, "at most 50 names")
  .optional();

// A proxy or a stand-in in place of the platform's base URL: http(s), no query, no trailing slash.
const endpoint = z
  .url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" })
  .max(500)
  .refine((v) => !/[?#]/.test(v), "must not hold a query or fragment")
  .transform((v) => v.replace(/\/+$/, ""))
  .optional();

const common = { eventNames, endpoint };

export const metaApi = z.strictObject({
  type: z.literal("meta"),
  pixelId: digits("pixel (dataset) ID"),
  accessToken: secret,
  testEventCode: text(100).optional(),
  ...common,
});

export const tiktokApi = z.strictObject({
  type: z.literal("tiktok"),
  pixelCode: text(100).regex(/^[A-Z0-9]+$/, "must be the pixel code (capital letters and digits)"),
  accessToken: secret,
  testEventCode: text(100).optional(),
  ...common,
});

export const googleApi = z.strictObject({
  type: z.literal("google"),
  customerId,
  conversionActionId: digits("conversion action ID"),
  developerToken: secret,
  clientId: text(300),
  clientSecret: secret,
  refreshToken: secret,
  loginCustomerId: customerId.optional(),
  ...common,
});

/** A traffic source's `conversionApi`: one of the three shapes, or null. */
export const conversionApiSchema = z.discriminatedUnion("type", [metaApi, tiktokApi, googleApi]).nullable();

export type ConversionApiInput = NonNullable<z.output<typeof conversionApiSchema>>;
/** What is stored in clear: the input without its secrets. */
export type ConversionApiSettings = DistributiveOmit<ConversionApiInput, SecretField>;
/** Settings and secrets together, as a delivery uses them. */
export type ConversionApi = ConversionApiSettings & Required<Secrets>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export function splitSecrets(input: ConversionApiInput): { settings: ConversionApiSettings; secrets: Secrets } {
  const settings: Record<string, unknown> = {};
  const secrets: Secrets = {};
  const names: readonly string[] = SECRET_FIELDS[input.type];
  for (const [k, v] of Object.entries(input)) {
    if (v === undefined) continue;
    if (names.includes(k)) secrets[k as SecretField] = v as string;
    else settings[k] = v;
  }
  return { settings: settings as ConversionApiSettings, secrets };
}

/** The answer's view: settings, and "set" for each secret (all are set on a stored one). */
export function conversionApiJson(settings: ConversionApiSettings | null) {
  if (!settings) return null;
  return { ...settings, ...Object.fromEntries(SECRET_FIELDS[settings.type].map((f) => [f, "set"])) };
}

/** The event name a conversion of type `typeName` (null: the default type) is sent as. */
export function eventName(api: ConversionApiSettings, typeName: string | null): string {
  const names = api.eventNames ?? {};
  if (typeName !== null && names[typeName]) return names[typeName]!;
  return names.default ?? (api.type === "google" ? "" : DEFAULT_EVENT[api.type]);
}

/** A stored column's value with its exact type: the column is only ever written from this schema. */
export function storedSettings(stored: StoredConversionApiSettings | null): ConversionApiSettings | null {
  return stored as ConversionApiSettings | null;
}
