// What every tab of the case page shares: the case as read (its version for If-Match), what the user may do, and one way to change it.
import { createContext, useCallback, useContext, useState } from 'react';
import type { ComplaintsClient } from '@complaints/client';
import { ifMatch, toDisplayError, unwrap, useApi, type CaseView, type DisplayError } from '../../api';
import type { Session } from '../../session';

export interface CaseContextValue {
  c: CaseView;
  /** Bumped after every change this page made, so tabs re-read their lists. */
  rev: number;
  /** The API's "now" (locally the controllable clock). */
  now: number | undefined;
  can: Permissions;
  /** Re-read the case and the tab's data (after a 412, or a change made here). */
  reload: () => void;
}

export const CaseContext = createContext<CaseContextValue | undefined>(undefined);

export const useCase = (): CaseContextValue => {
  const v = useContext(CaseContext);
  if (!v) throw new Error('useCase() outside the case page');
  return v;
};

/**
 * What the page offers to whom, mirroring the API's role rules (shared/http/routes.ts): an action a user may not take is
 * not shown. The API stays the authority; when it refuses anyway the 403 is shown as it is.
 */
export interface Permissions {
  isOwner: boolean;
  acknowledge: boolean;
  tasks: boolean;
  notes: boolean;
  evidence: boolean;
  escalate: boolean;
  /** Acknowledge or waive an escalation: escalation managers, never the owner. */
  manageEscalations: boolean;
  triage: boolean;
  propose: boolean;
  finalResponse: boolean;
  close: boolean;
  letters: boolean;
  exports: boolean;
  /** May decide approval stages (the API also refuses the owner and the proposer). */
  approve: boolean;
}

export const permissionsFor = (session: Session, c: CaseView): Permissions => {
  const isOwner = session.user?.id === c.ownerId;
  const has = session.hasRole;
  const ownerOrSupervisor = isOwner || has('supervisor');
  return {
    isOwner,
    acknowledge: isOwner,
    tasks: ownerOrSupervisor,
    notes: isOwner || has('supervisor', 'compliance', 'legal'),
    evidence: isOwner || has('supervisor', 'compliance', 'legal'),
    escalate: ownerOrSupervisor,
    manageEscalations: !isOwner && has('supervisor', 'compliance', 'admin'),
    triage: ownerOrSupervisor,
    propose: isOwner,
    finalResponse: isOwner,
    close: ownerOrSupervisor,
    letters: isOwner || has('supervisor', 'compliance'),
    exports: has('compliance', 'legal'),
    approve: !isOwner && has('supervisor', 'compliance', 'legal', 'admin'),
  };
};

type Result<T> = { data?: T; error?: unknown; response: Response };

export interface CaseAction {
  /** Runs a change with If-Match of the version on screen; true when it succeeded. Form fields are left as typed either way. */
  run: <T>(call: (api: ComplaintsClient, headers: { 'If-Match': string }) => Promise<Result<T>>) => Promise<T | undefined>;
  pending: boolean;
  error: DisplayError | undefined;
  clear: () => void;
}

export const useCaseAction = (): CaseAction => {
  const api = useApi();
  const { c, reload } = useCase();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<DisplayError>();
  const run = useCallback(
    async <T,>(call: (api: ComplaintsClient, headers: { 'If-Match': string }) => Promise<Result<T>>): Promise<T | undefined> => {
      setPending(true);
      setError(undefined);
      try {
        const data = await unwrap(call(api, ifMatch(c.version)));
        reload();
        return data;
      } catch (err) {
        setError(toDisplayError(err));
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [api, c.version, reload],
  );
  return { run, pending, error, clear: useCallback(() => setError(undefined), []) };
};
