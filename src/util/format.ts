// Plain-words numbers for progress messages, previews, the status bar and the command line. One
// formatter each, so the same bytes read the same everywhere.

// Made on first use: the first Intl formatter in a process loads locale data (tens of ms), which
// activation does not need.
let counts: Intl.NumberFormat | undefined;

export function formatCount(n: number): string {
  return (counts ??= new Intl.NumberFormat('en-US')).format(n);
}

/** Binary units as VS Code shows file sizes (1 KB = 1,024 bytes): 412 MB, 5.1 GB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}

/** "45 s", "3 min", "2 h 10 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** "09:00" in the user's time zone (or the given one). */
export function formatTimeOfDay(at: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(at));
}
