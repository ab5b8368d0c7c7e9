import { describe, expect, it } from "vitest";
import { utcMsToWall, wallToUtcMs, zoneOffsetMs } from "./time";

describe("zoned wall times", () => {
  it("knows a fixed offset", () => {
    expect(zoneOffsetMs("Asia/Shanghai", Date.UTC(2027, 0, 15, 1, 0, 0))).toBe(8 * 3600 * 1000);
    expect(wallToUtcMs("2027-01-15T09:00", "Asia/Shanghai")).toBe(Date.UTC(2027, 0, 15, 1, 0, 0));
    expect(wallToUtcMs("2027-01-15T09:00:30", "UTC")).toBe(Date.UTC(2027, 0, 15, 9, 0, 30));
  });
  it("follows daylight saving time", () => {
    expect(wallToUtcMs("2027-07-01T12:00", "Europe/Berlin")).toBe(Date.UTC(2027, 6, 1, 10, 0, 0));
    expect(wallToUtcMs("2027-01-01T12:00", "Europe/Berlin")).toBe(Date.UTC(2027, 0, 1, 11, 0, 0));
  });
  it("round-trips", () => {
    const ms = Date.UTC(2027, 2, 28, 3, 15, 0);
    expect(wallToUtcMs(utcMsToWall(ms, "America/New_York", true), "America/New_York")).toBe(ms);
  });
  it("refuses what is not a wall time", () => {
    expect(wallToUtcMs("tomorrow", "UTC")).toBeNull();
    expect(wallToUtcMs("2027-01-15T09:00", "Not/AZone")).toBeNull();
  });
});
