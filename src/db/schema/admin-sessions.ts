import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

// One row per logged-in admin browser. The cookie carries only the signed id; the row says
// whether the session still exists (Log out deletes it) and when it began (it ends 12 h later).
export const adminSessions = sqliteTable("admin_sessions", {
  id: text("id").primaryKey(),
  createdAt: integer("created_at").notNull(),
  // null: the owner (logged in with ADMIN_TOKEN); otherwise the user, whose sessions end when
  // they are disabled or their password changes.
  userId: integer("user_id"),
});
