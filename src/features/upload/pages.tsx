import { type Context, Hono } from "hono";
import type { Child } from "hono/jsx";
import { bodyCap } from "../../lib/body";
import type { AppEnv } from "../../lib/env";
import { readForm } from "../../ui/forms";
import { Layout } from "../../ui/layout";
import { MAX_UPLOAD_BYTES, tooManyLines } from "./parse";
import { runUpload } from "./run";
import { Confirmation, Result, UploadForm } from "./views";

// A form body is URL-encoded: commas and line ends take 3 bytes each. The text itself is held
// to the API's limit once decoded.
const formLimit = bodyCap({ maxBytes: 3 * MAX_UPLOAD_BYTES, tooLarge: tooManyLines });

async function readText(c: Context<AppEnv>): Promise<string> {
  const text = (await readForm(c)).text ?? "";
  if (text.length > MAX_UPLOAD_BYTES) throw tooManyLines();
  return text;
}

const page = (title: string, body: Child) => (
  <Layout title={title} active="/admin/upload">
    {body}
  </Layout>
);

/** docs/conversions.md's flow: text area + Save -> confirmation backed by a dry run -> "Yes" -> result. */
export const uploadPages = new Hono<AppEnv>()
  .get("/", (c) => c.html(page("Upload conversions", <UploadForm />)))
  .post("/edit", formLimit, async (c) => c.html(page("Upload conversions", <UploadForm text={await readText(c)} />)))
  .post("/check", formLimit, async (c) => {
    const text = await readText(c);
    const report = await runUpload(c.env, text, { dryRun: true });
    return c.html(page("Confirm upload", <Confirmation text={text} report={report} />));
  })
  .post("/confirm", formLimit, async (c) => {
    const report = await runUpload(c.env, await readText(c));
    return c.html(page("Upload result", <Result report={report} />));
  });
