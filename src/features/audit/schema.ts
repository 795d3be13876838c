import { z } from "zod";
import type { ACTOR_KINDS } from "../../db/schema";
import { pageFields } from "../../lib/params";
import { ENTITIES, type EntityName } from "./entities";

export const ENTITY_NAMES = Object.keys(ENTITIES) as EntityName[];

/** `owner`, `user:3` or `key:2`: one person or key, as the page's filter menu writes it. */
const actorSchema = z
  .string()
  .regex(/^(owner|(user|key):\d{1,15})$/, "must be owner, user:<id> or key:<id>")
  .transform((s) => {
    const [kind, id] = s.split(":") as [(typeof ACTOR_KINDS)[number], string | undefined];
    return { kind, id: id === undefined ? null : Number(id) };
  });

/** GET /api/audit, and the audit page's filters and paging links. */
export const auditQuery = z.strictObject({
  ...pageFields,
  entity: z.enum(ENTITY_NAMES as [EntityName, ...EntityName[]]).optional(),
  entityId: z.string().min(1).max(100).optional(),
  actor: actorSchema.optional(),
});

export type AuditQuery = z.output<typeof auditQuery>;

export const AUDIT_LABELS = {
  entity: "Entity",
  entityId: "Id",
  actor: "Who",
  cursor: "Page",
  limit: "Entries per page",
};
