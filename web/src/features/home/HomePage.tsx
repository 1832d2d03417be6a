import { Card, Col, Row, Statistic, Typography } from 'antd';
import { useNavigate } from 'react-router';
import { useNav } from '../../app/nav';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { TodoBoard } from './TodoBoard';

/** The dashboard: who I am, where I work, my to-do board with counts (issue 16), and one tile per page I may open. */
export default function HomePage() {
  const { me } = useAuth();
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const tiles = useNav().filter((r) => r.path !== '/');
  return (
    <div>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {t('您好，', 'Hello, ')}
        <span data-userdata>{me?.displayName}</span>
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        {me?.orgName} · {me?.orgKind === 'producer' ? t('所在地：', 'Location: ') : t('管辖范围：', 'Jurisdiction: ')}
        {me?.scopeName}
      </Typography.Paragraph>
      <TodoBoard />
      <Row gutter={[12, 12]}>
        {tiles.map((r) => (
          <Col key={r.path} xs={12} sm={8} md={6} lg={4}>
            <Card
              hoverable
              onClick={() => navigate(r.path)}
              style={{ textAlign: 'center', minHeight: 110 }}
              data-testid={`tile-${r.path}`}
            >
              <div style={{ fontSize: 28, color: '#2e7d32' }}>{r.icon}</div>
              <div style={{ fontSize: 16, marginTop: 8 }}>{lang === 'en' ? r.en : r.zh}</div>
            </Card>
          </Col>
        ))}
      </Row>
      <Row gutter={12} style={{ marginTop: 16 }}>
        <Col xs={24} md={8}>
          <Card>
            <Statistic title={t('我的权限数', 'My permissions')} value={me?.verbs.length ?? 0} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
