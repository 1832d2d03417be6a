import { App as AntApp, ConfigProvider, Grid, Result, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import LoginPage from '../features/auth/LoginPage';
import { AuthProvider, useAuth } from '../shared/auth';
import { I18nProvider, useI18n } from '../shared/i18n';
import { isLarge, LARGE_TOKENS, useLargeTypeChoice } from '../shared/largeType';
import { createQueryClient } from '../shared/queryClient';
import { type AppRoute, ROUTES, kindFits, tierFits } from './routes';

// The layout (menu, drawer, notification bell, queue badge…) is its own chunk: the login page does not wait for it.
const AppLayout = lazy(() => import('./Layout').then((m) => ({ default: m.AppLayout })));

const Loading = () => (
  <div style={{ padding: 48, textAlign: 'center' }}>
    <Spin size="large" />
  </div>
);

function Guarded({ route }: { route: AppRoute }) {
  const { me, can } = useAuth();
  const { t } = useI18n();
  const location = useLocation();
  if (me === undefined) return <Loading />;
  if (me === null)
    return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (me.mustChangePassword && route.path !== '/password') return <Navigate to="/password" replace />;
  const Page = route.component;
  return (
    <Suspense fallback={<Loading />}>
      <AppLayout>
        {route.verb && !can(route.verb) ? (
          <Result
            status="403"
            title={t('没有权限', 'No permission')}
            subTitle={t(
              '您的账号没有访问此页面的权限，请联系信息管理员。',
              'Your account may not open this page; ask your information administrator.',
            )}
          />
        ) : !tierFits(route, me.platformTier) ? (
          <Result
            status="404"
            title={t('此页面只在国家平台', 'This page is on the national platform only')}
            subTitle={t(
              '跨平台的链条和召回由国家平台汇总，请在国家平台打开。',
              'Chains and recalls across platforms are gathered at national: open it there.',
            )}
          />
        ) : !kindFits(route, me.orgKind) && route.notFor ? (
          <Result
            status="info"
            title={t('此页面不适用于您的机构', 'Not for your organisation')}
            subTitle={t(route.notFor.zh, route.notFor.en)}
          />
        ) : (
          <Suspense fallback={<Loading />}>
            <Page />
          </Suspense>
        )}
      </AppLayout>
    </Suspense>
  );
}

function Themed() {
  const { lang } = useI18n();
  const screens = Grid.useBreakpoint();
  const large = isLarge(useLargeTypeChoice(), screens.md === false);
  return (
    <ConfigProvider
      locale={lang === 'en' ? enUS : zhCN}
      button={{ autoInsertSpace: false }}
      theme={{
        token: {
          colorPrimary: '#2e7d32',
          fontSize: 15,
          controlHeight: 36,
          borderRadius: 6,
          ...(large ? LARGE_TOKENS : {}),
        },
      }}
    >
      <AntApp>
        <AuthProvider>
          <BrowserRouter>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              {ROUTES.map((r) =>
                r.public ? (
                  <Route
                    key={r.path}
                    path={r.path}
                    element={<Suspense fallback={<Loading />}>{<r.component />}</Suspense>}
                  />
                ) : (
                  <Route key={r.path} path={r.path} element={<Guarded route={r} />} />
                ),
              )}
              <Route path="*" element={<Result status="404" title="404" subTitle="页面不存在 / Page not found" />} />
            </Routes>
          </BrowserRouter>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

export default function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <Themed />
      </I18nProvider>
    </QueryClientProvider>
  );
}
