/**
 * Wall-clock dates and times in a bakery's time zone (IANA, e.g. Europe/Madrid) and the UTC instants they mean,
 * with nothing but Intl: scheduled broadcasts are typed as "3 Dec, 09:00" where the bakery is. Shared by server and UI.
 */
export type WallTime = { /** YYYY-MM-DD */ date: string; /** HH:MM, 24 h */ time: string };

export const wallDatePattern = /^\d{4}-\d{2}-\d{2}$/;
export const wallTimePattern = /^([01]\d|2[0-3]):[0-5]\d$/;

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function partsIn(zone: string, instant: Date) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}

/** How far the zone's clock is ahead of UTC at that instant, in ms. */
function offsetMs(zone: string, instant: Date): number {
  const p = partsIn(zone, instant);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The wall date and time an instant shows in the zone. */
export function wallTimeOf(instant: Date, zone: string): WallTime {
  const p = partsIn(zone, instant);
  return { date: `${p.year}-${pad(p.month)}-${pad(p.day)}`, time: `${pad(p.hour)}:${pad(p.minute)}` };
}

/**
 * The instant a wall date and time mean in the zone, or null when that time does not exist there (the hour the
 * clocks skip in spring) or the date is not a real date. In the autumn hour that happens twice, the first one.
 */
export function instantOf(wall: WallTime, zone: string): Date | null {
  if (!wallDatePattern.test(wall.date) || !wallTimePattern.test(wall.time)) return null;
  const [y, m, d] = wall.date.split("-").map(Number) as [number, number, number];
  const [hh, mm] = wall.time.split(":").map(Number) as [number, number];
  const wallMs = Date.UTC(y, m - 1, d, hh, mm);
  const candidates = [...new Set([-1, 0, 1].map((k) => wallMs - offsetMs(zone, new Date(wallMs + k * 3_600_000 * 3))))].sort(
    (a, b) => a - b,
  );
  const match = candidates.find((c) => {
    const back = wallTimeOf(new Date(c), zone);
    return back.date === wall.date && back.time === wall.time;
  });
  return match === undefined ? null : new Date(match);
}
