// "Now" as the API sees it: locally the controllable clock (GET /local/clock), deployed the machine's; and human durations.
import { useEffect, useState } from 'react';
import { useSession } from './session';

/** The API's current time in ms; re-read when `refreshKey` changes (a screen reload), since the local clock jumps. */
export const useApiNow = (refreshKey: unknown = 0): number | undefined => {
  const { mode, apiUrl } = useSession();
  const [now, setNow] = useState<number | undefined>(mode === 'local' ? undefined : Date.now());
  useEffect(() => {
    if (mode !== 'local') {
      setNow(Date.now());
      return;
    }
    let live = true;
    fetch(`${apiUrl}/local/clock`)
      .then((r) => r.json() as Promise<{ now?: string }>)
      .then((b) => live && b.now && setNow(Date.parse(b.now)))
      .catch(() => live && setNow(Date.now()));
    return () => {
      live = false;
    };
  }, [mode, apiUrl, refreshKey]);
  return now;
};

/** "3 d 4 h left" / "5 h overdue". */
export const timeRemaining = (dueAt: string, now: number | undefined): string => {
  if (now === undefined) return '';
  const ms = Date.parse(dueAt) - now;
  const abs = Math.abs(ms);
  const d = Math.floor(abs / 86_400_000);
  const h = Math.floor((abs % 86_400_000) / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const span = d > 0 ? `${d} d ${h} h` : h > 0 ? `${h} h ${m} min` : `${m} min`;
  return ms >= 0 ? `${span} left` : `${span} overdue`;
};

export const formatTime = (iso: string | undefined): string => (iso ? new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' }) + ' UTC' : '—');
