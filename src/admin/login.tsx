import { Hono } from "hono";
import { checkUserLogin } from "../features/users/login";
import { checkAdminLogin } from "../lib/auth";
import { BODY_MAX_BYTES, bodyCap } from "../lib/body";
import { missingSecret } from "../lib/config";
import type { AppEnv } from "../lib/env";
import { ApiError } from "../lib/errors";
import { readForm } from "../ui/forms";
import { Layout, PostForm } from "../ui/layout";
import { COPY_SCRIPT, STYLESHEET } from "./assets";
import { endSession, hasSession, safeNext, startSession } from "./session";

function LoginPage({ next, error, closed }: { next: string; error?: string; closed: boolean }) {
  // Without ADMIN_TOKEN the page says so (and answers 503) instead of offering a form no token can pass.
  return (
    <Layout title="Log in" nav={false}>
      <div class="login">
        {closed ? (
          <p class="notice bad">{missingSecret("ADMIN_TOKEN")}.</p>
        ) : (
          <PostForm action="/admin/login" errors={error ? [error] : undefined} submit="Log in">
            <label>
              Email
              <input type="email" name="email" autocomplete="username" autofocus />
            </label>
            <label>
              Password
              <input type="password" name="password" autocomplete="current-password" />
            </label>
            {/* The owner's way in, also on a fresh install before any user exists. */}
            <label>
              Or the admin token (owner)
              <input type="password" name="token" autocomplete="off" />
            </label>
            <input type="hidden" name="next" value={next} />
          </PostForm>
        )}
      </div>
    </Layout>
  );
}

/** The public part of /admin: login, logout and the two static files. */
export const sessionRoutes = new Hono<AppEnv>()
  .get("/assets/style.css", (c) =>
    c.body(STYLESHEET, 200, { "content-type": "text/css; charset=utf-8", "cache-control": "public, max-age=300" }),
  )
  .get("/assets/copy.js", (c) =>
    c.body(COPY_SCRIPT, 200, {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=300",
    }),
  )
  .get("/login", async (c) => {
    const next = safeNext(c.req.query("next"));
    if (c.var.config.adminToken === null) return c.html(<LoginPage next={next} closed />, 503);
    if (await hasSession(c)) return c.redirect(next, 303);
    return c.html(<LoginPage next={next} closed={false} />);
  })
  .post("/login", bodyCap({ maxBytes: BODY_MAX_BYTES }), async (c) => {
    const form = await readForm(c);
    const next = safeNext(form.next);
    if (c.var.config.adminToken === null) return c.html(<LoginPage next={next} closed />, 503);
    const email = form.email?.trim() ?? "";
    // The token wins when both are filled in: the owner's way in stays the same.
    const byUser = email !== "" && !form.token?.trim();
    let ok: boolean;
    let userId: number | null = null;
    try {
      if (byUser) {
        userId = (await checkUserLogin(c, email, form.password ?? ""))?.id ?? null;
        ok = userId !== null;
      } else ok = await checkAdminLogin(c.env, c.req.header("cf-connecting-ip"), form.token?.trim());
    } catch (err) {
      // 429 after too many failures (docs/admin-pages.md), 503 without the counter: the form says which.
      if (!(err instanceof ApiError)) throw err;
      return c.html(<LoginPage next={next} error={`${err.message}.`} closed={false} />, err.status, err.headers);
    }
    const wrong = byUser ? "Wrong email or password." : "Wrong admin token.";
    if (!ok) return c.html(<LoginPage next={next} error={wrong} closed={false} />, 401);
    await startSession(c, userId);
    return c.redirect(next, 303);
  })
  .post("/logout", async (c) => {
    await endSession(c);
    return c.redirect("/admin/login", 303);
  });
