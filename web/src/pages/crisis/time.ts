// Wall times in an IANA zone and the UTC instants they mean, with Intl only: the held lane's
// reschedule takes a wall time "as meant in <zone>", like the API's scheduled_at + zone.

function parts(zone: string, utcMs: number) {
  const f = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(utcMs))) {
    if (p.type !== "literal") out[p.type] = Number(p.value);
  }
  return out as { year: number; month: number; day: number; hour: number; minute: number; second: number };
}

// The zone's offset from UTC at that instant, in ms (Asia/Shanghai: +8 h).
export function zoneOffsetMs(zone: string, utcMs: number): number {
  const p = parts(zone, utcMs);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour % 24, p.minute, p.second);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

// "2027-01-15T09:00" or "2027-01-15T09:00:30" as meant in `zone` -> the UTC instant in ms;
// null when the text is not such a wall time or the zone is unknown.
export function wallToUtcMs(wall: string, zone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wall);
  if (!m) return null;
  const guess = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], m[6] ? +m[6] : 0);
  try {
    const first = zoneOffsetMs(zone, guess);
    let utc = guess - first;
    const second = zoneOffsetMs(zone, utc);
    if (second !== first) utc = guess - second; // across a DST change
    return utc;
  } catch {
    return null;
  }
}

// The UTC instant as a wall time in `zone`, in the form <input type="datetime-local"> takes.
export function utcMsToWall(utcMs: number, zone: string, withSeconds = false): string {
  const p = parts(zone, utcMs);
  const two = (n: number) => String(n).padStart(2, "0");
  const base = `${p.year}-${two(p.month)}-${two(p.day)}T${two(p.hour % 24)}:${two(p.minute)}`;
  return withSeconds ? `${base}:${two(p.second)}` : base;
}

// RFC 3339 without milliseconds, as the API's examples spell it.
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function browserZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export function allZones(extra: string[] = []): string[] {
  let zones: string[] = [];
  try {
    zones = Intl.supportedValuesOf("timeZone");
  } catch {
    zones = [];
  }
  return Array.from(new Set([...extra.filter(Boolean), "UTC", ...zones]));
}
