import { defineConfig } from "drizzle-kit";

// Only `drizzle-kit generate` is used: wrangler applies the SQL files it writes.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema/index.ts",
  out: "./migrations",
});
