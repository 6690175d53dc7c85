// What routing needs to know about staff: their availability profile and the open cases they own.
import type { Case } from '#schemas/complaint';
import type { StaffProfile } from '#schemas/staff';

export interface StaffDirectory {
  get(staffId: string): Promise<StaffProfile | undefined>;
  /** Profiles of several people (a team); those without one are absent from the map. */
  many(staffIds: readonly string[]): Promise<Map<string, StaffProfile>>;
  /** Writes a profile at `expectedVersion + 1` (0: a new profile); StaleVersionError when another write won. */
  put(profile: StaffProfile, expectedVersion: number): Promise<void>;
  /** How many cases not closed this person owns, counted up to `atMost` (the capacity check needs no more). */
  openCaseCount(ownerId: string, atMost: number): Promise<number>;
  /** This person's cases not closed whose final response falls due between `from` and `to` (the owner index, by due time). */
  ownedDueBetween(ownerId: string, from: string, to: string): Promise<Case[]>;
}
