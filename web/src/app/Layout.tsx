import {
  FontSizeOutlined,
  GlobalOutlined,
  LinkOutlined,
  LogoutOutlined,
  MenuOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Button, Drawer, Dropdown, Grid, Layout, Menu, Space, Typography } from 'antd';
import { type ReactNode, useEffect, useMemo, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { NotificationBell } from '../features/chain/NotificationBell';
import { QueueBadge } from '../features/field/QueueBadge';
import { useAuth } from '../shared/auth';
import { useI18n } from '../shared/i18n';
import { isLarge, setLargeType, useLargeTypeChoice } from '../shared/largeType';
import { useApiQuery } from '../shared/useApiQuery';
import { ActingForBanner } from '../shared/ui/ActingForBanner';
import { NavContext, type NavEntry } from './nav';
import { MENU_GROUPS, type MenuGroup, ROUTES, kindFits, tierFits } from './routes';

export function AppLayout({ children }: { children: ReactNode }) {
  const { me, can, logout } = useAuth();
  // Single sign-on: offer to link this account to the upper platform's (docs/sso.md).
  const sso = useApiQuery('/api/v1/sso/status', undefined, { staleTime: 300_000 });
  const { lang, setLang, t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const screens = Grid.useBreakpoint();
  const mobile = !screens.md;
  const large = isLarge(useLargeTypeChoice(), mobile);
  const [drawer, setDrawer] = useState(false);
  // A page opened from the menu starts at its top (the window kept the previous page's scroll position).
  useEffect(() => {
    window.scrollTo(0, 0);
  }, [location.pathname]);

  // Every menu page the caller may open, in menu order (the dashboard shows them as tiles).
  const nav = useMemo<NavEntry[]>(
    () =>
      ROUTES.filter(
        (r) =>
          r.menu && !r.public && (!r.verb || can(r.verb)) && tierFits(r, me?.platformTier) && kindFits(r, me?.orgKind),
      )
        .sort(
          (a, b) =>
            MENU_GROUPS[a.menu!.group].order - MENU_GROUPS[b.menu!.group].order ||
            (a.menu!.order ?? 0) - (b.menu!.order ?? 0),
        )
        .map((r) => ({ path: r.path, zh: r.menu!.zh, en: r.menu!.en, icon: r.menu!.icon })),
    [can, me?.platformTier],
  );

  const items = useMemo(() => {
    const groups = new Map<MenuGroup, { key: string; label: string; icon: ReactNode; order: number }[]>();
    for (const r of ROUTES) {
      if (
        !r.menu ||
        r.public ||
        (r.verb && !can(r.verb)) ||
        !tierFits(r, me?.platformTier) ||
        !kindFits(r, me?.orgKind)
      )
        continue;
      const list = groups.get(r.menu.group) ?? [];
      list.push({
        key: r.path,
        label: lang === 'en' ? r.menu.en : r.menu.zh,
        icon: r.menu.icon,
        order: r.menu.order ?? 0,
      });
      groups.set(r.menu.group, list);
    }
    return [...groups.entries()]
      .sort(([a], [b]) => MENU_GROUPS[a].order - MENU_GROUPS[b].order)
      .map(([g, list]) => {
        const sorted = list.sort((a, b) => a.order - b.order).map(({ order: _o, ...i }) => i);
        if (g === 'home') return sorted[0];
        return {
          key: `group:${g}`,
          label: lang === 'en' ? MENU_GROUPS[g].en : MENU_GROUPS[g].zh,
          type: 'group' as const,
          children: sorted,
        };
      });
  }, [can, lang]);

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[location.pathname]}
      items={items}
      onClick={(e) => {
        navigate(e.key);
        setDrawer(false);
      }}
      style={{ borderInlineEnd: 0 }}
      data-testid="main-menu"
    />
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!mobile && (
        <Layout.Sider width={220} theme="light" style={{ borderRight: '1px solid #f0f0f0' }}>
          <div style={{ padding: '16px 20px', fontWeight: 700, fontSize: 18, color: '#2e7d32' }}>
            {t('溯源 · 追溯平台', 'Suyuan')}
          </div>
          {menu}
        </Layout.Sider>
      )}
      <Layout>
        <Layout.Header
          style={{
            background: '#fff',
            padding: '0 16px',
            display: 'flex',
            alignItems: 'center',
            gap: 12,
            borderBottom: '1px solid #f0f0f0',
          }}
        >
          {mobile && (
            <Button
              type="text"
              size="large"
              icon={<MenuOutlined />}
              aria-label={t('菜单', 'Menu')}
              onClick={() => setDrawer(true)}
            />
          )}
          <Typography.Text
            strong
            style={{
              flex: 1,
              fontSize: mobile ? 16 : 15,
              whiteSpace: 'nowrap',
              overflow: 'hidden',
              textOverflow: 'ellipsis',
            }}
          >
            {mobile
              ? t('溯源', 'Suyuan')
              : t('国家农产品质量安全追溯管理信息平台', 'Agricultural Product Quality-Safety Traceability Platform')}
          </Typography.Text>
          <QueueBadge />
          <NotificationBell />
          <Button
            type="text"
            icon={<GlobalOutlined />}
            onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}
            data-testid="lang-switch"
          >
            {lang === 'zh' ? 'EN' : '中文'}
          </Button>
          <Dropdown
            menu={{
              items: [
                {
                  key: 'profile',
                  icon: <UserOutlined />,
                  label: t('个人信息', 'My profile'),
                  onClick: () => navigate('/profile'),
                },
                { key: 'password', label: t('修改密码', 'Change password'), onClick: () => navigate('/password') },
                ...(sso.data?.available && sso.data.linked === false
                  ? [
                      {
                        key: 'sso-link',
                        icon: <LinkOutlined />,
                        label: t('关联上级平台账号', 'Link my upper-platform account'),
                        onClick: () => window.location.assign('/api/v1/sso/login?link=1&next=%2Fprofile'),
                      },
                    ]
                  : []),
                {
                  key: 'large',
                  icon: <FontSizeOutlined />,
                  label: large ? t('关闭大字模式', 'Normal type') : t('大字模式', 'Large type'),
                  onClick: () => setLargeType(!large),
                },
                { type: 'divider' },
                {
                  key: 'logout',
                  icon: <LogoutOutlined />,
                  label: t('退出登录', 'Log out'),
                  onClick: () => void logout().then(() => navigate('/login')),
                },
              ],
            }}
          >
            <Button type="text" data-testid="user-menu">
              <Space>
                <UserOutlined />
                {!mobile && me?.displayName}
              </Space>
            </Button>
          </Dropdown>
        </Layout.Header>
        {/* data-path: the page shown (a navigation keeps the old page until the new one's code has loaded) */}
        <Layout.Content style={{ padding: mobile ? 12 : 24, minWidth: 0 }} data-path={location.pathname}>
          <ActingForBanner />
          <NavContext.Provider value={nav}>{children}</NavContext.Provider>
        </Layout.Content>
        <Layout.Footer style={{ textAlign: 'center', color: '#888', padding: 12 }}>
          {me?.orgName} · {me?.scopeName}
        </Layout.Footer>
      </Layout>
      <Drawer
        open={drawer}
        onClose={() => setDrawer(false)}
        placement="left"
        width={260}
        title={t('溯源 · 追溯平台', 'Suyuan')}
        styles={{ body: { padding: 0 } }}
      >
        {menu}
      </Drawer>
    </Layout>
  );
}
