import { type Context, Hono } from "hono";
import type { Db } from "../lib/db";
import type { AppEnv } from "../lib/env";
import { parseId } from "../lib/params";
import { notFoundPage } from "./errors";

/**
 * POST /:id/archive and /:id/restore behind ArchiveButton: set the flag and go back to the list
 * at `list`; an unknown ID gets the not-found page. `noun` names the object in that page.
 */
export function archiveRoutes(opts: {
  list: string;
  noun: string;
  update: (db: Db, id: number, patch: { archived: boolean }) => Promise<unknown>;
}) {
  const setArchived = (archived: boolean) => async (c: Context<AppEnv>) => {
    const row = await opts.update(c.var.db, parseId(c.req.param("id"), opts.noun), { archived });
    if (!row) return notFoundPage(c);
    return c.redirect(opts.list, 303);
  };
  return new Hono<AppEnv>().post("/:id/archive", setArchived(true)).post("/:id/restore", setArchived(false));
}
