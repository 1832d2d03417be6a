import { Card, Form, Input, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { ApiItem, ApiQuery } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { DivisionName } from '../../shared/ui/DivisionName';
import { ErrorText } from '../../shared/ui/ErrorText';
import { usePagedTable } from '../../shared/usePagedTable';
import { RequestCorrection } from './RequestCorrection';
import { useSharedResources } from './resources';
import { PlatformName } from '../../shared/ui/PlatformName';

type Rec = ApiItem<'/api/v1/sharing/records'>;
type Filter = Omit<ApiQuery<'/api/v1/sharing/records'>, 'page' | 'pageSize'>;

/** Records shared up from lower platforms, each marked with the platform it came from, in my jurisdiction. */
export default function SharedRecordsPage() {
  const { me } = useAuth();
  const { t, lang } = useI18n();
  const [filter, setFilter] = useState<Filter>({});
  const resources = useSharedResources();
  const { tableProps, error } = usePagedTable('/api/v1/sharing/records', filter, {
    pagination: { showTotal: (n) => t(`共 ${n} 条`, `${n} records`) },
  });
  const title = (r: Rec) => String(r.record.name ?? r.record.title ?? r.recordId);
  return (
    <Card title={t('下级平台共享记录', 'Records shared from lower platforms')}>
      <Form
        layout="inline"
        style={{ marginBottom: 12, rowGap: 8 }}
        onValuesChange={(_, all) =>
          setFilter({ q: all.q || undefined, resource: all.resource || undefined, divisionCode: all.divisionCode })
        }
      >
        <Form.Item name="q" label={t('关键词', 'Search')}>
          <Input allowClear style={{ width: 180 }} />
        </Form.Item>
        <Form.Item name="resource" label={t('资源', 'Resource')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            data-testid="shared-resource"
            placeholder={t('全部', 'All')}
            options={resources.options}
            style={{ width: 160 }}
          />
        </Form.Item>
        <Form.Item name="divisionCode" label={t('区划', 'Division')}>
          <DivisionPicker root={me?.scope} style={{ width: 220 }} />
        </Form.Item>
      </Form>
      <ErrorText error={error} />
      <Table<Rec>
        rowKey={(r) => `${r.originPlatform}/${r.resource}/${r.recordId}`}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('记录', 'Record'), key: 'title', render: (_, r) => title(r) },
          {
            title: t('资源', 'Resource'),
            key: 'resource',
            render: (_, r) => <span data-testid="shared-resource-name">{resources.name(r.resourceLabel)}</span>,
          },
          {
            title: t('来源', 'Shared from'),
            key: 'origin',
            render: (_, r) => (
              <Tag color="blue" data-testid="shared-from">
                {t('来自', 'from ')}
                <PlatformName id={r.originPlatform} />
              </Tag>
            ),
          },
          { title: t('区划', 'Division'), dataIndex: 'divisionCode', render: (c) => <DivisionName code={c} /> },
          { title: t('版本', 'Version'), dataIndex: 'version' },
          {
            title: t('接收时间', 'Received'),
            dataIndex: 'receivedAt',
            render: (v: string) => new Date(v).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN'),
          },
          {
            title: t('摘要', 'Hash'),
            dataIndex: 'contentHash',
            render: (v: string) => <Typography.Text code>{v.slice(0, 12)}</Typography.Text>,
          },
          {
            title: t('操作', 'Actions'),
            key: 'act',
            render: (_, r) => (
              <RequestCorrection originPlatform={r.originPlatform} resource={r.resource} recordId={r.recordId} />
            ),
          },
        ]}
        {...tableProps}
      />
    </Card>
  );
}
