import { CheckOutlined, DownloadOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { download, get, type Page, post } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { ErrorText, errorMessage } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import { type OriginRecord, ProductSelect, STATUS_COLORS, enumOptions, useProducts } from './common';
import { RecordDrawer } from './RecordDrawer';

export interface OriginFilter { product?: string; status?: string; within?: string; minScale?: number; maxScale?: number; marketFrom?: string; marketTo?: string; q?: string }

/** "一张表": the records by filter, county review, Excel export. */
export default function TablePage() {
  const { me, can } = useAuth();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const products = useProducts().data;
  const [filter, setFilter] = useState<OriginFilter>({});
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string[]>([]);
  const [detail, setDetail] = useState<string>();
  const { data, error, loading, reload } = useRequest(() => get<Page<OriginRecord>>('/origin/records', { ...filter, page, pageSize: 20 }), [JSON.stringify(filter), page]);
  const set = (f: Partial<OriginFilter>) => { setPage(1); setSelected([]); setFilter({ ...filter, ...f }); };

  async function review(ids: string[], action: 'approve' | 'return') {
    let comment = '';
    if (action === 'return') {
      comment = await new Promise<string>((resolve) => {
        let text = '';
        Modal.confirm({ title: t('退回原因（写明需要修改的内容）', 'Why return? (what must be fixed)'), content: <Input.TextArea rows={3} onChange={(e) => { text = e.target.value; }} data-testid="origin-return-comment" />, onOk: () => resolve(text), onCancel: () => resolve('') });
      });
      if (!comment.trim()) return;
    }
    try {
      await post('/origin/records/review', { ids, action, comment: comment || null });
      message.success(action === 'approve' ? t(`已审核通过 ${ids.length} 条`, `${ids.length} approved`) : t('已退回', 'Returned'));
      setSelected([]);
      await reload();
    } catch (e) {
      message.error(errorMessage(e, lang));
    }
  }

  return (
    <Card
      title={t('产地溯源“一张表”', 'Origin table')}
      extra={can('origin.export') && <Button icon={<DownloadOutlined />} onClick={() => download('/origin/export', { ...filter }, 'origin.xlsx').catch((e) => message.error(errorMessage(e, lang)))} data-testid="origin-export">{t('导出 Excel', 'Export Excel')}</Button>}
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <ProductSelect products={products} value={filter.product?.split(',')} onChange={(v) => set({ product: v.length ? v.join(',') : undefined })} testId="origin-filter-product" />
        <Select allowClear placeholder={t('状态', 'Status')} style={{ width: 130 }} options={enumOptions(products?.enumerations.statuses, lang)} onChange={(s) => set({ status: s })} data-testid="origin-filter-status" />
        <DivisionPicker root={me?.scope} style={{ width: 240 }} placeholder={t('地区', 'Division')} onChange={(within) => set({ within })} />
        <InputNumber placeholder={t('最小规模', 'Min scale')} min={0} onChange={(v) => set({ minScale: v ?? undefined })} />
        <InputNumber placeholder={t('最大规模', 'Max scale')} min={0} onChange={(v) => set({ maxScale: v ?? undefined })} />
        <DatePicker.RangePicker placeholder={[t('上市期起', 'On market from'), t('止', 'to')]} onChange={(_, s) => set({ marketFrom: s?.[0] || undefined, marketTo: s?.[1] || undefined })} />
        <Input.Search placeholder={t('主体名称或地址', 'Subject or address')} allowClear onSearch={(q) => set({ q: q || undefined })} style={{ width: 200 }} data-testid="origin-filter-q" />
      </Space>
      {can('origin.review') && selected.length > 0 && (
        <Space style={{ marginBottom: 12 }}>
          <Button type="primary" size="large" icon={<CheckOutlined />} onClick={() => review(selected, 'approve')} data-testid="origin-approve-selected">{t(`审核通过所选 ${selected.length} 条`, `Approve ${selected.length} selected`)}</Button>
        </Space>
      )}
      <ErrorText error={error} />
      <Table<OriginRecord>
        rowKey="id"
        loading={loading}
        dataSource={data?.items}
        scroll={{ x: 'max-content' }}
        rowSelection={can('origin.review') ? { selectedRowKeys: selected, onChange: (k) => setSelected(k as string[]), getCheckboxProps: (r) => ({ disabled: !r.allowedActions.includes('approve') }) } : undefined}
        pagination={{ current: page, total: data?.total, pageSize: 20, onChange: setPage, showTotal: (n) => t(`共 ${n} 条`, `${n} in all`) }}
        columns={[
          { title: t('主体名称', 'Subject'), dataIndex: 'subjectName', render: (n, r) => <a onClick={() => setDetail(r.id)}>{n}</a> },
          { title: t('品种', 'Product'), dataIndex: 'productName' },
          { title: t('规模', 'Scale'), render: (_, r) => `${r.scale} ${r.unitName}` },
          { title: t('乡镇', 'Township'), dataIndex: 'divisionName' },
          { title: t('基地地址', 'Base'), dataIndex: 'baseAddress' },
          { title: t('上下市', 'On market'), render: (_, r) => `${r.marketStart ?? ''} ~ ${r.marketEnd ?? ''}` },
          { title: t('状态', 'Status'), dataIndex: 'status', render: (s, r) => <Tag color={STATUS_COLORS[s]}>{r.statusName}</Tag> },
          {
            title: t('操作', 'Actions'),
            render: (_, r) => (
              <Space>
                {r.allowedActions.includes('approve') && <Button size="small" type="primary" onClick={() => review([r.id], 'approve')}>{t('通过', 'Approve')}</Button>}
                {r.allowedActions.includes('return') && <Button size="small" danger onClick={() => review([r.id], 'return')}>{t('退回', 'Return')}</Button>}
              </Space>
            ),
          },
        ]}
      />
      <RecordDrawer id={detail} onClose={() => setDetail(undefined)} />
    </Card>
  );
}
