// Lookups keyed by data (user text, configured names) that see own properties only: a complaint that says
// "constructor" or "__proto__" must never read Object.prototype (issue 25, finding 1).
/** The value `record` itself holds under `key`, never an inherited one (Object.prototype's members included). */
export const own = <V>(record: Readonly<Partial<Record<string, V>>>, key: string): V | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);
