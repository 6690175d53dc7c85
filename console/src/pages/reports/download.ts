// Saves a report the API answered (CSV or JSON) as a file, without leaving the page.
export const saveFile = (name: string, body: string, type: string): void => {
  const url = URL.createObjectURL(new Blob([body], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
};

/** The first day and the last day of each of the `count` months up to and including the month of `today` (YYYY-MM-DD). */
export const lastMonths = (today: string, count: number): { month: string; from: string; to: string }[] => {
  const [y, m] = today.split('-').map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(y, m - 1 - (count - 1 - i), 1));
    const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0));
    const month = d.toISOString().slice(0, 7);
    const last = end.toISOString().slice(0, 10);
    return { month, from: `${month}-01`, to: last < today ? last : today };
  });
};
