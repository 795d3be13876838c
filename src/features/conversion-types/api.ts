import { Hono } from "hono";
import type { AppEnv } from "../../lib/env";
import { ApiError } from "../../lib/errors";
import { parseId } from "../../lib/params";
import { validate } from "../../lib/validate";
import {
  conversionTypeJson,
  createConversionType,
  getConversionType,
  listConversionTypes,
  updateConversionType,
} from "./queries";
import { conversionTypeBody, conversionTypePatch } from "./schema";

export const conversionTypesApi = new Hono<AppEnv>()
  .post("/", validate("json", conversionTypeBody), async (c) => {
    const row = await createConversionType(c.var.db, c.req.valid("json"));
    return c.json(conversionTypeJson(row), 201);
  })
  .get("/", async (c) => {
    const rows = await listConversionTypes(c.var.db, { includeArchived: c.req.query("archived") === "1" });
    return c.json({ conversionTypes: rows.map(conversionTypeJson) });
  })
  .get("/:id", async (c) => {
    const row = await getConversionType(c.var.db, parseId(c.req.param("id"), "Conversion type"));
    if (!row) throw new ApiError("not_found", "Conversion type not found");
    return c.json(conversionTypeJson(row));
  })
  .patch("/:id", validate("json", conversionTypePatch), async (c) => {
    const row = await updateConversionType(
      c.var.db,
      parseId(c.req.param("id"), "Conversion type"),
      c.req.valid("json"),
    );
    if (!row) throw new ApiError("not_found", "Conversion type not found");
    return c.json(conversionTypeJson(row));
  })
  .delete("/:id", async (c) => {
    const row = await updateConversionType(c.var.db, parseId(c.req.param("id"), "Conversion type"), { archived: true });
    if (!row) throw new ApiError("not_found", "Conversion type not found");
    return c.json(conversionTypeJson(row));
  });
