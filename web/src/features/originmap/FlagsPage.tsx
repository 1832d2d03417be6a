import { App, Button, Card, Input, List, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { ApiItem, ApiQuery } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, errorMessage } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { usePagedTable } from '../../shared/usePagedTable';
import { enumOptions, useProducts } from './common';
import { RecordDrawer } from './RecordDrawer';

type Flag = ApiItem<'/api/v1/origin/flags'>;
type FlagFilter = Omit<ApiQuery<'/api/v1/origin/flags'>, 'page' | 'pageSize'>;

/** Patrol flags of my jurisdiction (stale, incomplete, suspicious) tracked to resolution, and my notifications. */
export default function FlagsPage() {
  const { can } = useAuth();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const products = useProducts().data;
  const [filter, setFilter] = useState<FlagFilter>({ status: 'open' });
  const [detail, setDetail] = useState<string>();
  const flags = usePagedTable('/api/v1/origin/flags', filter);
  const notices = useApiQuery('/api/v1/origin/notifications', { params: { query: { pageSize: 5 } } });
  const resolveFlag = useApiMutation('post', '/api/v1/origin/flags/{id}/resolve', {
    invalidate: ['/api/v1/origin/flags'],
  });
  const patrol = useApiMutation('post', '/api/v1/origin/patrol');

  function resolve(f: Flag) {
    let text = '';
    Modal.confirm({
      title: t('处理结果', 'How was it resolved?'),
      content: (
        <Input.TextArea
          rows={3}
          onChange={(e) => {
            text = e.target.value;
          }}
        />
      ),
      onOk: async () => {
        try {
          await resolveFlag.mutateAsync({ params: { path: { id: f.id } }, body: { resolution: text } });
        } catch (e) {
          message.error(errorMessage(e, lang));
          throw e;
        }
      },
    });
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Card title={t('系统提示', 'Notifications')} size="small">
        <ErrorText error={notices.error} />
        <List
          size="small"
          dataSource={notices.data?.items}
          locale={{ emptyText: t('暂无提示', 'Nothing new') }}
          data-testid="origin-notices"
          renderItem={(n) => (
            <List.Item>
              <Typography.Text strong>{n.title}</Typography.Text>&nbsp;{n.body}{' '}
              <Typography.Text type="secondary">{n.createdAt.slice(0, 16).replace('T', ' ')}</Typography.Text>
            </List.Item>
          )}
        />
      </Card>
      <Card
        title={t('巡查提示', 'Patrol flags')}
        extra={
          can('origin.review') && (
            <Button
              onClick={async () => {
                await patrol.mutateAsync();
                message.info(t('已开始巡查，稍后刷新', 'Patrol started; refresh shortly'));
              }}
            >
              {t('立即巡查', 'Run patrol now')}
            </Button>
          )
        }
      >
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            value={filter.status}
            allowClear
            style={{ width: 120 }}
            options={[
              { value: 'open', label: t('待处理', 'Open') },
              { value: 'resolved', label: t('已处理', 'Resolved') },
            ]}
            onChange={(status) => setFilter({ ...filter, status })}
          />
          <Select
            allowClear
            placeholder={t('类型', 'Kind')}
            style={{ width: 180 }}
            options={enumOptions(products?.enumerations.flagKinds, lang)}
            onChange={(kind) => setFilter({ ...filter, kind })}
          />
        </Space>
        <ErrorText error={flags.error} />
        <Table<Flag>
          rowKey="id"
          {...flags.tableProps}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('类型', 'Kind'),
              render: (_, f) => <Tag color="orange">{lang === 'en' ? f.kindNameEn : f.kindName}</Tag>,
            },
            {
              title: t('主体', 'Subject'),
              dataIndex: 'subjectName',
              render: (n, f) => <a onClick={() => setDetail(f.recordId)}>{n}</a>,
            },
            { title: t('乡镇', 'Township'), dataIndex: 'divisionName' },
            { title: t('说明', 'Detail'), dataIndex: 'detail' },
            { title: t('发现时间', 'Found'), dataIndex: 'createdAt', render: (d: string) => d.slice(0, 10) },
            {
              title: t('处理', 'Resolution'),
              // The server says what the caller may do with each flag.
              render: (_, f) =>
                f.allowedActions.includes('resolve') ? (
                  <Button size="small" onClick={() => resolve(f)}>
                    {t('处理', 'Resolve')}
                  </Button>
                ) : (
                  f.resolution
                ),
            },
          ]}
        />
      </Card>
      <RecordDrawer id={detail} onClose={() => setDetail(undefined)} />
    </Space>
  );
}
