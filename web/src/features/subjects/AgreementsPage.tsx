import { App, Button, Card, Form, Input, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { get, type Page, post } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';

/** 追溯协议 The county template (versions) and producers without a signed current version. */
export default function AgreementsPage() {
  const { t } = useI18n();
  const { me, can } = useAuth();
  const { message } = App.useApp();
  const county = me?.scope.length === 6 ? me.scope : undefined;
  const [page, setPage] = useState(1);
  const { data: tpls, reload } = useRequest(() => (county ? get<{ id: string; version: number; title: string; body: string; createdAt: string }[]>('/agreement-templates', { county }) : Promise.resolve([])), [county]);
  const { data, error, loading } = useRequest(() => get<Page<{ subjectId: string; name: string; divisionName: string; contactName: string; contactPhone: string; currentVersion: number | null; signedVersion: number | null }>>('/agreements/unsigned', { page, pageSize: 20 }), [page, tpls]);
  const [form] = Form.useForm();
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      {county && (
        <Card title={t('本县追溯协议', 'County agreement')}>
          {tpls?.[0] ? <><Typography.Title level={5}>{tpls[0].title}（{t('第', 'v')}{tpls[0].version}{t('版', '')}）</Typography.Title><Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{tpls[0].body}</Typography.Paragraph></> : <Typography.Text type="secondary">{t('尚未发布', 'Not published yet')}</Typography.Text>}
          {can('agreement.manage') && (
            <Form form={form} layout="vertical" onFinish={async (v) => { try { await post('/agreement-templates', v); form.resetFields(); message.success(t('已发布新版本', 'Published')); await reload(); } catch (e) { message.error((e as Error).message); } }}>
              <Form.Item name="title" label={t('标题', 'Title')} rules={[{ required: true, min: 2 }]}><Input /></Form.Item>
              <Form.Item name="body" label={t('协议正文（发布后为新版本，主体须重新签订）', 'Text (a new version; producers sign again)')} rules={[{ required: true, min: 10 }]}><Input.TextArea rows={6} /></Form.Item>
              <Button type="primary" htmlType="submit">{t('发布新版本', 'Publish new version')}</Button>
            </Form>
          )}
        </Card>
      )}
      <Card title={t('未签订当前版本协议的主体', 'Producers without the current agreement')}>
        <ErrorText error={error} />
        <Table rowKey="subjectId" loading={loading} dataSource={data?.items} scroll={{ x: true }} pagination={{ current: page, total: data?.total, pageSize: 20, onChange: setPage, showTotal: (n) => t(`共 ${n} 个`, `${n} in all`) }}
          columns={[
            { title: t('主体', 'Producer'), dataIndex: 'name' }, { title: t('区划', 'Division'), dataIndex: 'divisionName' },
            { title: t('联系', 'Contact'), render: (_, r) => `${r.contactName} ${r.contactPhone}` },
            { title: t('当前版本', 'Current'), dataIndex: 'currentVersion', render: (v) => v ?? t('未发布', 'none') },
            { title: t('已签版本', 'Signed'), dataIndex: 'signedVersion', render: (v) => v ?? '—' },
          ]} />
      </Card>
    </Space>
  );
}
