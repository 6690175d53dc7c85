// Every screen of the console, registered here once: the router and the side navigation are built from this list.
import { lazy, type ReactNode } from 'react';
import type { Role } from './session';

export interface ConsoleRoute {
  /** Relative to /console/ (react-router pattern). */
  path: string;
  /** The side navigation's label; a route without one (a detail page) is reachable by links only. */
  label?: string;
  element: ReactNode;
  /** Who sees it; the API still decides every call. */
  roles: readonly Role[];
}

const STAFF: readonly Role[] = ['handler', 'supervisor', 'compliance', 'legal', 'admin'];

// Screens load on first visit, so the first load carries only the shell and the screen opened.
const QueuePage = lazy(() => import('./pages/queue/QueuePage'));
const CasePage = lazy(() => import('./pages/case/CasePage'));
const ApprovalsPage = lazy(() => import('./pages/approvals/ApprovalsPage'));
const ReportsPage = lazy(() => import('./pages/reports/ReportsPage'));
const AdminPage = lazy(() => import('./pages/admin/AdminPage'));

export const routes: ConsoleRoute[] = [
  { path: 'queue', label: 'Work queue', element: <QueuePage />, roles: STAFF },
  { path: 'cases/:id', element: <CasePage />, roles: STAFF },
  { path: 'approvals', label: 'Approvals', element: <ApprovalsPage />, roles: ['supervisor', 'compliance', 'legal', 'admin'] },
  { path: 'reports', label: 'Deadlines and reports', element: <ReportsPage />, roles: ['supervisor', 'compliance', 'admin'] },
  { path: 'admin', label: 'Admin', element: <AdminPage />, roles: ['admin', 'compliance', 'supervisor'] },
];

/** The first screen a user with these roles may open. */
export const homePath = (has: (...roles: Role[]) => boolean): string => routes.find((r) => r.label && has(...r.roles))?.path ?? 'queue';
