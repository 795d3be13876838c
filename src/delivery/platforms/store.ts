import type { StoredConversionApiSettings } from "../../db/schema";
import { type Config, requireSecret } from "../../lib/config";
import { fieldsError } from "../../lib/errors";
import { open, seal } from "../../lib/secrets";
import {
  type ConversionApi,
  type ConversionApiInput,
  SECRET_FIELDS,
  type Secrets,
  splitSecrets,
} from "../../model/conversion-api";

/** Bound to every sealed blob: the secrets of a traffic source's conversion API, nothing else. */
const PURPOSE = "traffic-source conversion API";

/** The two columns a traffic source keeps a conversion API in. */
export interface StoredConversionApi {
  conversionApi: StoredConversionApiSettings | null;
  conversionApiSecrets: string | null;
}

/**
 * The columns for `input`: its settings in clear, its secrets sealed. A secret `input` leaves out
 * is kept from `current` when the platform is the same; one set nowhere is a 400 naming it.
 */
export async function sealConversionApi(
  config: Config,
  input: ConversionApiInput | null,
  current: StoredConversionApi | null,
): Promise<StoredConversionApi> {
  if (!input) return { conversionApi: null, conversionApiSecrets: null };
  const { settings, secrets } = splitSecrets(input);
  const kept =
    current?.conversionApi?.type === input.type && current.conversionApiSecrets
      ? // Sealed under another SECRETS_KEY: unreadable, so each secret must be given again.
        await openSecrets(config, current.conversionApiSecrets).catch(() => ({}))
      : {};
  const merged: Secrets = { ...kept, ...secrets };
  const missing = SECRET_FIELDS[input.type].filter((f) => !merged[f]);
  if (missing.length > 0)
    throw fieldsError(missing.map((f) => ({ path: `conversionApi.${f}`, message: "is required" })));
  const key = requireSecret(config, "SECRETS_KEY");
  return { conversionApi: settings, conversionApiSecrets: await seal(key, PURPOSE, JSON.stringify(merged)) };
}

async function openSecrets(config: Config, sealed: string): Promise<Secrets> {
  return JSON.parse(await open(requireSecret(config, "SECRETS_KEY"), PURPOSE, sealed)) as Secrets;
}

/** Settings and secrets together for a call; throws when SECRETS_KEY is missing or not the one they were sealed with. */
export async function openConversionApi(config: Config, stored: StoredConversionApi): Promise<ConversionApi | null> {
  if (!stored.conversionApi || !stored.conversionApiSecrets) return null;
  return { ...stored.conversionApi, ...(await openSecrets(config, stored.conversionApiSecrets)) } as ConversionApi;
}
