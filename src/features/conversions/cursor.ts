import { badParam } from "../../reports/range";

/** Position after the last row of a page: the list is ordered by (conversionTime, id), newest first. */
export interface Cursor {
  time: number;
  id: string;
}

export function encodeCursor(c: Cursor): string {
  const bytes = new TextEncoder().encode(JSON.stringify([c.time, c.id]));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** Anything that is not a cursor this API handed out is a 400 naming `cursor`. */
export function decodeCursor(text: string): Cursor {
  try {
    const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    const [time, id] = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0))),
    ) as unknown[];
    if (Number.isSafeInteger(time) && typeof id === "string") return { time: time as number, id };
  } catch {
    // fall through
  }
  throw badParam("cursor", "is not a cursor returned by this API");
}
