// The console's shell: top bar with the signed-in user, side navigation from routes.tsx, and the screen of the current route.
import { Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router-dom';
import AppLayout from '@cloudscape-design/components/app-layout';
import SideNavigation from '@cloudscape-design/components/side-navigation';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import Spinner from '@cloudscape-design/components/spinner';
import { homePath, routes } from './routes';
import { useSession } from './session';
import SignInPage from './pages/signin/SignInPage';

const BASE = import.meta.env.BASE_URL.replace(/\/+$/, '');

const Shell = () => {
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const mine = routes.filter((r) => session.hasRole(...r.roles));
  const follow = (href: string) => void navigate(href.startsWith(BASE) ? href.slice(BASE.length) || '/' : href);
  return (
    <>
      <div id="top-nav" style={{ position: 'sticky', top: 0, zIndex: 1002 }}>
        <TopNavigation
          identity={{ href: `${BASE}/`, title: 'Complaints console', onFollow: (e) => (e.preventDefault(), follow(`${BASE}/`)) }}
          utilities={[
            {
              type: 'menu-dropdown',
              text: session.user?.name ?? session.user?.id ?? '',
              description: session.roles.join(', '),
              iconName: 'user-profile',
              items: [{ id: 'signout', text: 'Sign out' }],
              onItemClick: (e) => e.detail.id === 'signout' && void session.signOut().then(() => navigate('/')),
            },
          ]}
          i18nStrings={{ overflowMenuTriggerText: 'More', overflowMenuTitleText: 'All' }}
        />
      </div>
      <AppLayout
        headerSelector="#top-nav"
        toolsHide
        ariaLabels={{ navigation: 'Side navigation', navigationClose: 'Close side navigation', navigationToggle: 'Open side navigation', notifications: 'Notifications' }}
        navigation={
          <SideNavigation
            header={{ href: `${BASE}/`, text: 'Complaints' }}
            activeHref={`${BASE}${location.pathname}`}
            items={mine.filter((r) => r.label).map((r) => ({ type: 'link' as const, text: r.label ?? r.path, href: `${BASE}/${r.path}` }))}
            onFollow={(e) => {
              e.preventDefault();
              follow(e.detail.href);
            }}
          />
        }
        content={
          <Suspense fallback={<Spinner size="large" />}>
            <Routes>
              {mine.map((r) => (
                <Route key={r.path} path={r.path} element={r.element} />
              ))}
              <Route path="*" element={<Navigate to={`/${homePath(session.hasRole)}`} replace />} />
            </Routes>
          </Suspense>
        }
      />
    </>
  );
};

export const App = () => {
  const session = useSession();
  return <BrowserRouter basename={BASE}>{session.user ? <Shell /> : <SignInPage />}</BrowserRouter>;
};
