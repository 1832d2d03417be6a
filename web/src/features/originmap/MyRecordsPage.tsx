import { Card, Input, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import type { ApiItem, ApiQuery } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { usePagedTable } from '../../shared/usePagedTable';
import { STATUS_COLORS, enumOptions, useProducts } from './common';
import { RecordDrawer } from './RecordDrawer';

type Row = ApiItem<'/api/v1/origin/my-records'>;
type Filter = Omit<ApiQuery<'/api/v1/origin/my-records'>, 'page' | 'pageSize'>;

/**
 * 我的采集: the records the caller may collect — a producer's own, the client's of an agency acting for it, or the
 * authorised county's of a third-party collector; the drawer submits, re-collects (新一茬 / 本月更新) and visits.
 */
export default function MyRecordsPage() {
  const { t, lang } = useI18n();
  const en = lang === 'en';
  const products = useProducts().data;
  const [filter, setFilter] = useState<Filter>({});
  const [detail, setDetail] = useState<string>();
  const { tableProps, error } = usePagedTable('/api/v1/origin/my-records', filter, {
    pagination: { showTotal: (n) => t(`共 ${n} 条`, `${n} in all`) },
  });
  const set = (f: Partial<Filter>) => setFilter({ ...filter, ...f });
  return (
    <Card title={t('我的采集记录', 'My origin records')}>
      <Space wrap style={{ marginBottom: 12 }}>
        <Select
          allowClear
          placeholder={t('状态', 'Status')}
          style={{ width: 130 }}
          options={enumOptions(products?.enumerations.statuses, lang)}
          onChange={(s) => set({ status: s })}
          data-testid="origin-mine-status"
        />
        <Select
          allowClear
          placeholder={t('待办', 'To do')}
          style={{ width: 170 }}
          options={[
            { value: 'overdue', label: t('逾期未重新采集', 'Overdue re-collection') },
            { value: 'sitePending', label: t('待现场补充点位', 'Point to complete on site') },
          ]}
          onChange={(v) =>
            set({ overdue: v === 'overdue' ? true : undefined, sitePending: v === 'sitePending' ? true : undefined })
          }
        />
        <Input.Search
          placeholder={t('主体名称或地址', 'Subject or address')}
          allowClear
          onSearch={(q) => set({ q: q || undefined })}
          style={{ width: 200 }}
        />
      </Space>
      <ErrorText error={error} />
      <Table<Row>
        rowKey="id"
        size="small"
        {...tableProps}
        scroll={{ x: 'max-content' }}
        data-testid="origin-mine"
        columns={[
          {
            title: t('主体名称', 'Subject'),
            dataIndex: 'subjectName',
            render: (n, r) => <a onClick={() => setDetail(r.id)}>{n}</a>,
          },
          {
            title: t('品种与规模', 'Product and scale'),
            render: (_, r) => `${en ? r.productNameEn : r.productName} ${r.scale} ${en ? r.unitNameEn : r.unitName}`,
          },
          { title: t('乡镇', 'Township'), dataIndex: 'divisionName' },
          {
            title: t('状态', 'Status'),
            render: (_, r) => (
              <Space size={4} wrap>
                <Tag color={STATUS_COLORS[r.status]}>{en ? r.statusNameEn : r.statusName}</Tag>
                {r.sitePending && <Tag color="orange">{t('待补点位', 'No point yet')}</Tag>}
                {r.overdue && <Tag color="red">{t('逾期未采集', 'Overdue')}</Tag>}
              </Space>
            ),
          },
          { title: t('应重新采集', 'Re-collect by'), dataIndex: 'nextDue' },
        ]}
      />
      <RecordDrawer
        id={detail}
        record={tableProps.dataSource?.find((r) => r.id === detail)}
        onClose={() => setDetail(undefined)}
      />
    </Card>
  );
}
