/** Plum's `YYYY-MM-DD HH:MM:SS`, in UTC. */
export function plumDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}
