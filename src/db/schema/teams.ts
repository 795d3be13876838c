import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const ROLES = ["admin", "editor", "viewer"] as const;
export type Role = (typeof ROLES)[number];

// People who log in to the admin pages. Emails are stored lower-cased (one account per address).
export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    email: text("email").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    passwordAlgorithm: text("password_algorithm").notNull(),
    passwordIterations: integer("password_iterations").notNull(),
    passwordSalt: text("password_salt").notNull(),
    passwordHash: text("password_hash").notNull(),
    passwordChangedAt: integer("password_changed_at").notNull(),
    disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [uniqueIndex("users_email_unique").on(t.email)],
);

export type UserRow = typeof users.$inferSelect;

// Keys for scripts: only the SHA-256 of the key is kept; `prefix` lets people tell keys apart.
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    lastUsedAt: integer("last_used_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_key_hash_unique").on(t.keyHash)],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export const ACTOR_KINDS = ["owner", "user", "key"] as const;

// One row per change: who (kind, id, and the email or key name at the time), through what
// (api or page), what (entity, id, action) and the changed fields as JSON {field: {from, to}}.
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    actorKind: text("actor_kind", { enum: ACTOR_KINDS }).notNull(),
    actorId: integer("actor_id"),
    actorLabel: text("actor_label").notNull(),
    via: text("via", { enum: ["api", "page"] }).notNull(),
    entity: text("entity").notNull(),
    entityId: text("entity_id"),
    action: text("action").notNull(),
    changes: text("changes").notNull(),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_actor_idx").on(t.actorKind, t.actorId, t.id),
    index("audit_log_entity_idx").on(t.entity, t.id),
  ],
);

export type AuditRow = typeof auditLog.$inferSelect;
