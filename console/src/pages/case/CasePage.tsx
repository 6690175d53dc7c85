// The case page: header (reference, status, owner and handoffs, regime, deadline bar) and the tabs that work the case.
import { useCallback, useMemo, useState } from 'react';
import { useLocation, useParams, useSearchParams } from 'react-router-dom';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import Tabs from '@cloudscape-design/components/tabs';
import { unwrap, useApiQuery } from '../../api';
import { useApiNow } from '../../clock';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useSession } from '../../session';
import { CaseHeader } from './CaseHeader';
import { CaseContext, permissionsFor, type CaseContextValue } from './caseContext';
import { OverviewTab } from './OverviewTab';
import { TasksTab } from './TasksTab';
import { NotesTab } from './NotesTab';
import { EvidenceTab } from './EvidenceTab';
import { TimelineTab } from './TimelineTab';
import { EscalationsTab } from './EscalationsTab';
import { ResolutionTab } from './ResolutionTab';
import { LettersTab } from './LettersTab';
import { ExportTab } from './ExportTab';

const TABS = ['overview', 'tasks', 'notes', 'evidence', 'timeline', 'escalations', 'resolution', 'letters', 'export'] as const;
type TabId = (typeof TABS)[number];

const CasePage = () => {
  const { id = '' } = useParams();
  const session = useSession();
  const [search, setSearch] = useSearchParams();
  const tab: TabId = (TABS as readonly string[]).includes(search.get('tab') ?? '') ? (search.get('tab') as TabId) : 'overview';
  const [rev, setRev] = useState(0);
  // Every navigation (a link, a tab) reads the case again: others work it too, and a fresh version avoids needless 412s.
  const { key } = useLocation();
  const q = useApiQuery((api) => unwrap(api.GET('/v1/complaints/{id}', { params: { path: { id } } })), [id, rev, key]);
  const now = useApiNow(q.data?.version ?? rev);
  const reload = useCallback(() => setRev((r) => r + 1), []);
  const c = q.data;
  const ctx = useMemo<CaseContextValue | undefined>(() => (c ? { c, rev, now, can: permissionsFor(session, c), reload } : undefined), [c, rev, now, session, reload]);
  if (!ctx || !c) return q.error ? <ErrorAlert error={q.error} /> : <Spinner size="large" />;
  return (
    <CaseContext.Provider value={ctx}>
      <SpaceBetween size="l">
        <Header
          variant="h1"
          description={c.summary}
          actions={
            <Button iconName="refresh" onClick={reload} loading={q.loading}>
              Reload case
            </Button>
          }
        >
          <span data-testid="case-reference">{c.reference}</span>
        </Header>
        {q.error ? <ErrorAlert error={q.error} onReload={reload} /> : null}
        <CaseHeader c={c} now={now} />
        <Tabs
          activeTabId={tab}
          onChange={(e) => setSearch({ tab: e.detail.activeTabId }, { replace: true })}
          ariaLabel="Case"
          tabs={[
            { id: 'overview', label: 'Overview', content: <OverviewTab /> },
            { id: 'tasks', label: `Tasks (${c.openTaskCount} open)`, content: <TasksTab /> },
            { id: 'notes', label: 'Notes', content: <NotesTab /> },
            { id: 'evidence', label: 'Evidence', content: <EvidenceTab /> },
            { id: 'timeline', label: 'Timeline', content: <TimelineTab /> },
            { id: 'escalations', label: `Escalations (${c.escalations.length})`, content: <EscalationsTab /> },
            { id: 'resolution', label: 'Resolution', content: <ResolutionTab /> },
            { id: 'letters', label: 'Letters', content: <LettersTab />, disabled: !ctx.can.letters },
            { id: 'export', label: 'Export', content: <ExportTab />, disabled: !ctx.can.exports },
          ]}
        />
      </SpaceBetween>
    </CaseContext.Provider>
  );
};

export default CasePage;
