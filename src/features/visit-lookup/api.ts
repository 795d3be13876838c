import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { errorBody } from "../../lib/errors";
import { lookupVisit } from "../../visits/lookup";

/**
 * GET /api/visits/:clickId (docs/tracking.md): the visit with every attribute, its lander clicks and its
 * conversions. A genuine click ID without a stored visit: 404 with what the ID says, and where
 * the visit went when its day was archived.
 */
export const visitsApi = new Hono<AppEnv>().get("/:clickId", async (c) => {
  const found = await lookupVisit(c.env, c.req.param("clickId"));
  if (!("click" in found)) {
    return c.json(
      errorBody("invalid_parameter", "clickId: is not a click ID issued by this tracker", [
        { path: "clickId", message: "is not a click ID issued by this tracker" },
      ]),
      400,
    );
  }
  const { found: stored, reason, ...body } = found;
  if (stored) return c.json(body);
  const message =
    reason === "archived"
      ? `Visit archived: its day is in ${body.archive!.file}`
      : "No visit stored for this click ID (not yet written, or never recorded)";
  return c.json({ ...errorBody("not_found", message), ...body }, 404);
});
