/** How long ago, worded like the docker CLI (`About a minute ago`, `3 hours ago`, `2 weeks ago`). */
export function timeAgo(when: Date, now: Date = new Date()): string {
  const seconds = Math.max(0, Math.round((now.getTime() - when.getTime()) / 1000));
  const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'} ago`;
  if (seconds < 1) return 'Less than a second ago';
  if (seconds < 60) return plural(seconds, 'second');
  const minutes = Math.round(seconds / 60);
  if (minutes === 1) return 'About a minute ago';
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours === 1) return 'About an hour ago';
  if (hours < 48) return plural(hours, 'hour');
  const days = Math.round(hours / 24);
  if (days < 14) return plural(days, 'day');
  if (days < 60) return plural(Math.round(days / 7), 'week');
  if (days < 730) return plural(Math.round(days / 30), 'month');
  return plural(Math.round(days / 365), 'year');
}
