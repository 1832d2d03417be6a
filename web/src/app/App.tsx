import { App as AntApp, ConfigProvider, Result, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { Suspense } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import LoginPage from '../features/auth/LoginPage';
import { AuthProvider, useAuth } from '../shared/auth';
import { I18nProvider, useI18n } from '../shared/i18n';
import { AppLayout } from './Layout';
import { type AppRoute, ROUTES } from './routes';

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
  if (me === null) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (me.mustChangePassword && route.path !== '/password') return <Navigate to="/password" replace />;
  const Page = route.component;
  return (
    <AppLayout>
      {route.verb && !can(route.verb) ? (
        <Result status="403" title={t('没有权限', 'No permission')} subTitle={t('您的账号没有访问此页面的权限，请联系信息管理员。', 'Your account may not open this page; ask your information administrator.')} />
      ) : (
        <Suspense fallback={<Loading />}>
          <Page />
        </Suspense>
      )}
    </AppLayout>
  );
}

function Themed() {
  const { lang } = useI18n();
  return (
    <ConfigProvider
      locale={lang === 'en' ? enUS : zhCN}
      button={{ autoInsertSpace: false }}
      theme={{ token: { colorPrimary: '#2e7d32', fontSize: 15, controlHeight: 36, borderRadius: 6 } }}
    >
      <AntApp>
        <AuthProvider>
          <BrowserRouter>
            <Routes>
              <Route path="/login" element={<LoginPage />} />
              {ROUTES.map((r) =>
                r.public ? (
                  <Route key={r.path} path={r.path} element={<Suspense fallback={<Loading />}>{<r.component />}</Suspense>} />
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
  return (
    <I18nProvider>
      <Themed />
    </I18nProvider>
  );
}
