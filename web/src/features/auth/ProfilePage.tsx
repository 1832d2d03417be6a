import { Card, Descriptions, Tag } from 'antd';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { useVerbName } from '../../shared/useVerbName';

export default function ProfilePage() {
  const { me } = useAuth();
  const { t, lang } = useI18n();
  const verbName = useVerbName();
  if (!me) return null;
  return (
    <Card title={t('个人信息', 'My profile')}>
      <Descriptions column={1} bordered size="middle">
        <Descriptions.Item label={t('用户名', 'Username')}>{me.username}</Descriptions.Item>
        <Descriptions.Item label={t('姓名', 'Name')}>{me.displayName}</Descriptions.Item>
        <Descriptions.Item label={t('所属机构', 'Organisation')}>{me.orgName}</Descriptions.Item>
        <Descriptions.Item label={t('管辖范围', 'Jurisdiction')}>{me.scopeName}</Descriptions.Item>
        <Descriptions.Item label={t('角色', 'Roles')}>
          {me.roles.map((r) => (
            <Tag key={r.code}>{lang === 'en' ? r.en : r.zh}</Tag>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label={t('权限', 'Permissions')}>
          {me.verbs.map((v) => (
            <Tag key={v} style={{ marginBottom: 4, whiteSpace: 'normal' }}>
              {verbName(v)}
            </Tag>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label={t('上次登录', 'Last login')}>
          {me.lastLoginAt ? new Date(me.lastLoginAt).toLocaleString() : '—'}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
