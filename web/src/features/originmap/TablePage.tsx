import { CheckOutlined, DownloadOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Input, InputNumber, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { type ApiItem, type ApiQuery, download } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { ErrorText, errorMessage } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { usePagedTable } from '../../shared/usePagedTable';
import { ProductSelect, STATUS_COLORS, askReturnComment, enumOptions, useProducts } from './common';
import { RecordDrawer } from './RecordDrawer';

type Row = ApiItem<'/api/v1/origin/records'>;
export type OriginFilter = Omit<ApiQuery<'/api/v1/origin/records'>, 'page' | 'pageSize'>;

/** "一张表": the records by filter, county review, Excel export. */
export default function TablePage() {
  const { me, can } = useAuth();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const products = useProducts().data;
  const [filter, setFilter] = useState<OriginFilter>({});
  const [selected, setSelected] = useState<string[]>([]);
  // `?record=` opens a record's drawer (the review queue's link).
  const [params] = useSearchParams();
  const [detail, setDetail] = useState<string | undefined>(() => params.get('record') ?? undefined);
  const { tableProps, error } = usePagedTable('/api/v1/origin/records', filter, {
    pagination: { showTotal: (n) => t(`共 ${n} 条`, `${n} in all`) },
  });
  const reviewMany = useApiMutation('post', '/api/v1/origin/records/review', {
    invalidate: ['/api/v1/origin/records'],
  });
  const set = (f: Partial<OriginFilter>) => {
    setSelected([]);
    setFilter({ ...filter, ...f });
  };

  async function review(ids: string[], action: 'approve' | 'return') {
    const comment = action === 'return' ? await askReturnComment(t) : '';
    if (action === 'return' && !comment) return;
    try {
      await reviewMany.mutateAsync({ body: { ids, action, comment: comment || null } });
      message.success(
        action === 'approve' ? t(`已审核通过 ${ids.length} 条`, `${ids.length} approved`) : t('已退回', 'Returned'),
      );
      setSelected([]);
    } catch (e) {
      message.error(errorMessage(e, lang));
    }
  }

  return (
    <Card
      title={t('产地溯源“一张表”', 'Origin table')}
      extra={
        can('origin.export') && (
          <Button
            icon={<DownloadOutlined />}
            onClick={() =>
              download('/api/v1/origin/export', { params: { query: filter } }, 'origin.xlsx').catch((e) =>
                message.error(errorMessage(e, lang)),
              )
            }
            data-testid="origin-export"
          >
            {t('导出 Excel', 'Export Excel')}
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <ProductSelect
          products={products}
          value={filter.product?.split(',')}
          onChange={(v) => set({ product: v.length ? v.join(',') : undefined })}
          testId="origin-filter-product"
        />
        <Select
          allowClear
          placeholder={t('状态', 'Status')}
          style={{ width: 130 }}
          options={enumOptions(products?.enumerations.statuses, lang)}
          onChange={(s) => set({ status: s })}
          data-testid="origin-filter-status"
        />
        <DivisionPicker
          root={me?.scope}
          style={{ width: 240 }}
          placeholder={t('地区', 'Division')}
          onChange={(within) => set({ within })}
        />
        <InputNumber
          placeholder={t('最小规模', 'Min scale')}
          min={0}
          onChange={(v) => set({ minScale: v ?? undefined })}
        />
        <InputNumber
          placeholder={t('最大规模', 'Max scale')}
          min={0}
          onChange={(v) => set({ maxScale: v ?? undefined })}
        />
        <DatePicker.RangePicker
          placeholder={[t('上市期起', 'On market from'), t('止', 'to')]}
          onChange={(_, s) => set({ marketFrom: s?.[0] || undefined, marketTo: s?.[1] || undefined })}
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
          data-testid="origin-filter-todo"
        />
        <Input.Search
          placeholder={t('主体名称或地址', 'Subject or address')}
          allowClear
          onSearch={(q) => set({ q: q || undefined })}
          style={{ width: 200 }}
          data-testid="origin-filter-q"
        />
      </Space>
      {can('origin.review') && selected.length > 0 && (
        <Space style={{ marginBottom: 12 }}>
          <Button
            type="primary"
            size="large"
            icon={<CheckOutlined />}
            onClick={() => review(selected, 'approve')}
            data-testid="origin-approve-selected"
          >
            {t(`审核通过所选 ${selected.length} 条`, `Approve ${selected.length} selected`)}
          </Button>
        </Space>
      )}
      <ErrorText error={error} />
      <Table<Row>
        rowKey="id"
        {...tableProps}
        scroll={{ x: 'max-content' }}
        rowSelection={
          can('origin.review')
            ? {
                selectedRowKeys: selected,
                onChange: (k) => setSelected(k as string[]),
                getCheckboxProps: (r) => ({ disabled: !r.allowedActions.includes('approve') }),
              }
            : undefined
        }
        columns={[
          {
            title: t('主体名称', 'Subject'),
            dataIndex: 'subjectName',
            render: (n, r) => <a onClick={() => setDetail(r.id)}>{n}</a>,
          },
          { title: t('品种', 'Product'), render: (_, r) => (lang === 'en' ? r.productNameEn : r.productName) },
          { title: t('规模', 'Scale'), render: (_, r) => `${r.scale} ${lang === 'en' ? r.unitNameEn : r.unitName}` },
          { title: t('乡镇', 'Township'), dataIndex: 'divisionName' },
          { title: t('基地地址', 'Base'), dataIndex: 'baseAddress' },
          { title: t('上下市', 'On market'), render: (_, r) => `${r.marketStart ?? ''} ~ ${r.marketEnd ?? ''}` },
          {
            title: t('状态', 'Status'),
            dataIndex: 'status',
            render: (s, r) => (
              <Space size={4} wrap>
                <Tag color={STATUS_COLORS[s]}>{lang === 'en' ? r.statusNameEn : r.statusName}</Tag>
                {r.sitePending && <Tag color="orange">{t('待补点位', 'No point yet')}</Tag>}
                {r.overdue && <Tag color="red">{t('逾期未采集', 'Overdue')}</Tag>}
              </Space>
            ),
          },
          {
            title: t('操作', 'Actions'),
            render: (_, r) => (
              <Space>
                {r.allowedActions.includes('approve') && (
                  <Button size="small" type="primary" onClick={() => review([r.id], 'approve')}>
                    {t('通过', 'Approve')}
                  </Button>
                )}
                {r.allowedActions.includes('return') && (
                  <Button size="small" danger onClick={() => review([r.id], 'return')}>
                    {t('退回', 'Return')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <RecordDrawer id={detail} onClose={() => setDetail(undefined)} />
    </Card>
  );
}
