import { raw } from "hono/html";
import type { Child, PropsWithChildren } from "hono/jsx";

/** Top navigation of every admin page; `href` doubles as the key pages pass as `active`. */
export const NAV = [
  { href: "/admin", label: "Dashboard" },
  { href: "/admin/campaigns", label: "Campaigns" },
  { href: "/admin/offers", label: "Offers" },
  { href: "/admin/traffic-sources", label: "Traffic sources" },
  { href: "/admin/landers", label: "Landers" },
  { href: "/admin/conversion-types", label: "Conversion types" },
  { href: "/admin/report", label: "Report" },
  { href: "/admin/conversions", label: "Conversions" },
  { href: "/admin/visits", label: "Click lookup" },
  { href: "/admin/cost-updates", label: "Cost updates" },
  { href: "/admin/rules", label: "Rules" },
  { href: "/admin/upload", label: "Upload" },
  { href: "/admin/postbacks", label: "Postback log" },
  { href: "/admin/source-postbacks", label: "Source postbacks" },
  { href: "/admin/settings", label: "Settings" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/keys", label: "API keys" },
  { href: "/admin/audit", label: "Audit log" },
] as const;

export type NavHref = (typeof NAV)[number]["href"];

export interface LayoutProps {
  title: string;
  /** The nav entry to highlight. */
  active?: NavHref;
  /** false on the login page: no nav, no logout button. */
  nav?: boolean;
  /** A page's own stylesheets and scripts (served from /admin/assets: no inline code). */
  head?: Child;
  /** The whole width of the screen (the report's table), not the reading width. */
  wide?: boolean;
}

/**
 * The page shell shared by every admin page (reports and conversions pages included): nav,
 * stylesheet, the copy-button script. Everything inside is rendered through Hono JSX, which
 * escapes all text and attribute values.
 */
export function Layout({ title, active, nav = true, head, wide, children }: PropsWithChildren<LayoutProps>) {
  return (
    <>
      {raw("<!doctype html>")}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{`${title} · clicktrail`}</title>
          <link rel="stylesheet" href="/admin/assets/style.css" />
          <script src="/admin/assets/copy.js" defer></script>
          {head}
        </head>
        <body>
          {nav && (
            <header>
              <nav>
                <a class="brand" href="/admin">
                  clicktrail
                </a>
                {/* Folds into "Menu" on narrow screens; wide ones always show it (stylesheet, no script). */}
                <details class="menu">
                  <summary>Menu</summary>
                  <div class="links">
                    {NAV.map((item) => (
                      <a href={item.href} aria-current={item.href === active ? "page" : undefined}>
                        {item.label}
                      </a>
                    ))}
                    <form method="post" action="/admin/logout">
                      <button type="submit" class="secondary">
                        Log out
                      </button>
                    </form>
                  </div>
                </details>
              </nav>
            </header>
          )}
          <main class={wide ? "wide" : undefined}>
            <h1>{title}</h1>
            {children}
          </main>
        </body>
      </html>
    </>
  );
}

/** A read-only field with a Copy button (tracking URLs, the postback template). */
export function CopyField({ value, label }: { value: string; label: string }) {
  return (
    <span class="copy">
      <input type="text" readonly value={value} aria-label={label} />
      <button type="button" class="secondary" data-copy={value}>
        Copy
      </button>
    </span>
  );
}

export type Notice = { kind: "good" | "bad"; text: Child };

export function NoticeBox({ notice }: { notice?: Notice }) {
  if (!notice) return null;
  return (
    <p class={`notice ${notice.kind}`} role={notice.kind === "bad" ? "alert" : "status"}>
      {notice.text}
    </p>
  );
}

/** Form errors from zod issues or a single message, listed above the form. */
export function Errors({ errors }: { errors?: string[] }) {
  if (!errors || errors.length === 0) return null;
  return (
    <div class="notice bad" role="alert">
      <ul>
        {errors.map((e) => (
          <li>{e}</li>
        ))}
      </ul>
    </div>
  );
}

/**
 * An admin form that changes something: POSTed to `action`, its errors listed above the fields,
 * one submit button below them.
 */
export function PostForm({
  action,
  errors,
  submit,
  children,
}: PropsWithChildren<{ action: string; errors?: string[]; submit: string }>) {
  return (
    <form class="stack" method="post" action={action}>
      <Errors errors={errors} />
      {children}
      <button type="submit">{submit}</button>
    </form>
  );
}
