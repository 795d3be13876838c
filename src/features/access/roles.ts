import type { Role } from "../../db/schema";

/** The entities the audit log records; the audit log has a loader for each (audit/entities.ts). */
export const AUDITED_ENTITIES = [
  "offer",
  "lander",
  "campaign",
  "traffic-source",
  "conversion-type",
  "cost-update",
  "source-postback",
  "settings",
  "conversion-upload",
  "user",
  "api-key",
  "rule",
] as const;
export type EntityName = (typeof AUDITED_ENTITIES)[number];

/**
 * What a route needs: `public` (no login: the login page, static files), `read` (every role),
 * `write` (editors and admins: the objects and reports' data) or `admin` (users, keys,
 * settings, the audit log). A changing route names the entity the audit log records.
 */
export type Level = "public" | "read" | "write" | "admin";
export interface Rule {
  level: Level;
  audit?: EntityName;
}

const LEVELS_OF: Record<Role, readonly Level[]> = {
  admin: ["public", "read", "write", "admin"],
  editor: ["public", "read", "write"],
  viewer: ["public", "read"],
};

export const mayUse = (role: Role, rule: Rule) => LEVELS_OF[role].includes(rule.level);

export const PUBLIC: Rule = { level: "public" };
export const READ: Rule = { level: "read" };
/** A write that changes no entity (an upload's preview step). */
export const WRITE: Rule = { level: "write" };
export const write = (audit: EntityName): Rule => ({ level: "write", audit });
export const ADMIN: Rule = { level: "admin" };
export const admin = (audit: EntityName): Rule => ({ level: "admin", audit });
