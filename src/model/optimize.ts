import { z } from "zod";

/**
 * `optimize` on a campaign's offer rotation or a flow path (docs/rules.md): the weights are
 * relearned every 5 minutes from the last `windowHours` of figures; every live option keeps at
 * least `minShare` of the traffic.
 */
export const optimizeSchema = z.strictObject({
  metric: z.enum(["epc", "cr"], { error: 'must be "epc" or "cr"' }),
  windowHours: z.number().int("must be whole hours").min(1).max(720).default(72),
  minShare: z.number().min(0).max(0.5, "must be at most 0.5").default(0.05),
});

export type OptimizeConfig = z.output<typeof optimizeSchema>;
