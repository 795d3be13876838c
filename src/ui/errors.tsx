import type { Context, ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { ApiError } from "../lib/errors";
import { logError } from "../lib/log";
import { Layout } from "./layout";

function ErrorPage({ title, message }: { title: string; message: string }) {
  return (
    <Layout title={title}>
      <p class="notice bad">{message}</p>
      <p>
        <a href="/admin/campaigns">Back to campaigns</a>
      </p>
    </Layout>
  );
}

export function notFoundPage(c: Context) {
  return c.html(<ErrorPage title="Not found" message="There is no such page or object." />, 404);
}

/** The admin pages answer errors with a page, not the API's JSON envelope. */
export const adminErrorHandler: ErrorHandler = (err, c) => {
  if (err instanceof ApiError)
    return c.html(<ErrorPage title={err.status === 404 ? "Not found" : "Error"} message={err.message} />, err.status);
  if (err instanceof HTTPException) {
    const message =
      err.status === 403
        ? "Request refused: forms must be sent from this site's own pages."
        : err.message || "Request refused";
    return c.html(<ErrorPage title="Refused" message={message} />, err.status);
  }
  logError("unhandled error", c.req.method, c.req.path, err);
  return c.html(<ErrorPage title="Error" message="Something went wrong; nothing was changed by this request." />, 500);
};
