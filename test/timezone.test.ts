import { describe, expect, it } from "vitest";
import { dayStart, isoInZone, isValidTimeZone, localDay, offsetSegments, parseDay } from "../src/lib/timezone";

const HOUR = 3_600_000;
const utc = (iso: string) => Date.parse(iso);
const start = (tz: string, day: string) => new Date(dayStart(tz, parseDay(day)!)).toISOString();
const hoursLong = (tz: string, day: string) => (dayStart(tz, parseDay(day)! + 1) - dayStart(tz, parseDay(day)!)) / HOUR;

describe("time zone names", () => {
  it("accepts IANA names and rejects everything else", () => {
    for (const tz of [
      "UTC",
      "Europe/Warsaw",
      "America/New_York",
      "Asia/Kolkata",
      "America/Argentina/Buenos_Aires",
      "Etc/GMT+5",
    ]) {
      expect(isValidTimeZone(tz), tz).toBe(true);
    }
    for (const tz of ["", "Mars/Olympus", "+02:00", "Europe/Warsaw ", "utc'--", "x".repeat(100)]) {
      expect(isValidTimeZone(tz), tz).toBe(false);
    }
  });

  it("reads dates strictly as YYYY-MM-DD calendar days", () => {
    expect(parseDay("2026-02-28")).toBe(utc("2026-02-28T00:00Z") / 86_400_000);
    for (const bad of ["2026-02-29", "2026-13-01", "2026-1-05", "20260105", "2026-01-05T00:00"])
      expect(parseDay(bad), bad).toBeNull();
  });
});

describe("local days as UTC instants", () => {
  it("starts a day at local midnight in a fixed zone and in half-hour zones", () => {
    expect(start("UTC", "2026-11-21")).toBe("2026-11-21T00:00:00.000Z");
    expect(start("Asia/Kolkata", "2026-11-21")).toBe("2026-11-20T18:30:00.000Z");
    expect(hoursLong("Asia/Kolkata", "2026-11-21")).toBe(24);
  });

  it("cuts Europe/Warsaw days across both DST changes (23 and 25 hour days)", () => {
    expect(start("Europe/Warsaw", "2026-03-29")).toBe("2026-03-28T23:00:00.000Z");
    expect(start("Europe/Warsaw", "2026-03-30")).toBe("2026-03-29T22:00:00.000Z");
    expect(hoursLong("Europe/Warsaw", "2026-03-29")).toBe(23);
    expect(start("Europe/Warsaw", "2026-10-25")).toBe("2026-10-24T22:00:00.000Z");
    expect(hoursLong("Europe/Warsaw", "2026-10-25")).toBe(25);
  });

  it("cuts America/New_York days across both DST changes", () => {
    expect(start("America/New_York", "2026-03-08")).toBe("2026-03-08T05:00:00.000Z");
    expect(hoursLong("America/New_York", "2026-03-08")).toBe(23);
    expect(start("America/New_York", "2026-11-01")).toBe("2026-11-01T04:00:00.000Z");
    expect(hoursLong("America/New_York", "2026-11-01")).toBe(25);
  });

  it("follows Australia/Adelaide (+10:30 to +9:30) and a zone whose clocks skip midnight", () => {
    expect(start("Australia/Adelaide", "2026-04-05")).toBe("2026-04-04T13:30:00.000Z");
    expect(hoursLong("Australia/Adelaide", "2026-04-05")).toBe(25);
    // Chile jumps from 00:00 to 01:00: the day begins at the jump.
    expect(start("America/Santiago", "2026-09-06")).toBe("2026-09-06T04:00:00.000Z");
    expect(hoursLong("America/Santiago", "2026-09-06")).toBe(23);
  });

  it("names the local day of an instant and writes it with the zone's offset", () => {
    expect(localDay("Europe/Warsaw", utc("2026-03-28T22:59:59Z"))).toBe("2026-03-28");
    expect(localDay("Europe/Warsaw", utc("2026-03-28T23:00:00Z"))).toBe("2026-03-29");
    expect(localDay("Asia/Kolkata", utc("2026-11-20T18:29:59Z"))).toBe("2026-11-20");
    expect(isoInZone("Asia/Kolkata", utc("2026-11-20T18:30:00Z"))).toBe("2026-11-21T00:00:00.000+05:30");
    expect(isoInZone("America/New_York", utc("2026-11-01T05:30:00Z"))).toBe("2026-11-01T01:30:00.000-04:00");
    expect(isoInZone("America/New_York", utc("2026-11-01T06:30:00Z"))).toBe("2026-11-01T01:30:00.000-05:00");
  });
});

describe("offset segments", () => {
  it("splits a range exactly at each DST change", () => {
    const segments = offsetSegments("Europe/Warsaw", utc("2026-03-01T00:00Z"), utc("2026-11-01T00:00Z"));
    expect(segments).toEqual([
      { from: utc("2026-03-01T00:00Z"), to: utc("2026-03-29T01:00Z"), offset: 1 * HOUR },
      { from: utc("2026-03-29T01:00Z"), to: utc("2026-10-25T01:00Z"), offset: 2 * HOUR },
      { from: utc("2026-10-25T01:00Z"), to: utc("2026-11-01T00:00Z"), offset: 1 * HOUR },
    ]);
    expect(offsetSegments("Asia/Kolkata", utc("2026-01-01T00:00Z"), utc("2027-01-01T00:00Z"))).toHaveLength(1);
  });
});
