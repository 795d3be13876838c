import { env } from "cloudflare:workers";
import { BASE, call } from "./helpers";

/** Logs in through the form and returns the session cookie for page requests. */
export async function sessionCookie(): Promise<string> {
  const res = await call("/admin/login", {
    method: "POST",
    headers: { Origin: BASE },
    body: new URLSearchParams({ token: env.ADMIN_TOKEN }),
  });
  return /ct_admin=[^;]+/.exec(res.headers.get("set-cookie") ?? "")![0];
}

/** An admin page fetched with a session: status, HTML and the response. */
export async function adminPage(path: string, cookie: string) {
  const res = await call(path, { headers: { Cookie: cookie } });
  return { status: res.status, html: await res.text(), res };
}

/** The text of the cells of a table (by id), markup removed, entities left as written. */
export const tableCells = (html: string, id: string) =>
  [...(html.split(`id="${id}"`)[1]?.split("</table>")[0] ?? "").matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map((m) =>
    m[1]!.replace(/<[^>]+>/g, "").trim(),
  );

/** The rows of a table (by id) as lists of cell texts, body rows only. */
export function tableRows(html: string, id: string): string[][] {
  const body = html.split(`id="${id}"`)[1]?.split("<tbody>")[1]?.split("</tbody>")[0] ?? "";
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/gs)].map((tr) =>
    [...tr[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((m) => m[1]!.replace(/<[^>]+>/g, "").trim()),
  );
}

/** Every href in the HTML, entities decoded, in document order. */
export const hrefs = (html: string) => [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, "&"));
