import { Button, Card, Form, InputNumber, Modal, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import type { ApiBody } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { DivisionName } from '../../shared/ui/DivisionName';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { useSubmit } from '../../shared/useSubmit';
import type { Products } from './common';

type Product = Products['products'][number];
type ThresholdForm = Omit<ApiBody<'put', '/api/v1/origin/thresholds'>, 'divisionCode' | 'productCode'>;

/**
 * 重点品种与采集标准: the key products with the scale threshold and re-collection cycle in force at a division;
 * an information administrator sets a local standard for the division (制定本地区采集标准).
 */
export default function StandardsPage() {
  const { me, can } = useAuth();
  const { t, lang } = useI18n();
  const [division, setDivision] = useState<string | undefined>(me?.scope || undefined);
  const [editing, setEditing] = useState<Product>();
  const { data, error, isFetching } = useApiQuery('/api/v1/origin/products', {
    params: { query: division ? { divisionCode: division } : {} },
  });
  const en = lang === 'en';
  return (
    <Card title={t('重点品种与采集标准', 'Key products and thresholds')}>
      <Space wrap style={{ marginBottom: 12 }}>
        <DivisionPicker
          root={me?.scope}
          rootName={me?.scopeName}
          allowRoot={!!me?.scope}
          value={division}
          style={{ width: 240 }}
          maxLevel={4}
          placeholder={t('地区', 'Division')}
          onChange={(c) => setDivision(c ?? (me?.scope || undefined))}
        />
        {can('origin.configure') && (
          <Typography.Text type="secondary">
            {t('点“修改”为所选地区制定本地标准', 'Use “Edit” to set a local standard for the chosen division')}
          </Typography.Text>
        )}
      </Space>
      <ErrorText error={error} />
      <Table<Product>
        rowKey="code"
        size="small"
        loading={isFetching}
        dataSource={data?.products}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="origin-standards"
        columns={[
          { title: t('品种', 'Product'), render: (_, p) => (en ? p.nameEn : p.name) },
          {
            title: t('规模标准（不少于）', 'Scale threshold (at least)'),
            render: (_, p) => `${p.threshold} ${en ? p.unitNameEn : p.unitName}`,
          },
          {
            title: t('设施标准', 'Facility threshold'),
            render: (_, p) =>
              p.facilityThreshold === null ? '—' : `${p.facilityThreshold} ${en ? p.unitNameEn : p.unitName}`,
          },
          { title: t('重新采集周期（天）', 'Re-collect every (days)'), dataIndex: 'cycleDays' },
          ...(can('origin.configure') && division
            ? [
                {
                  title: t('操作', 'Actions'),
                  render: (_: unknown, p: Product) => (
                    <Button size="small" onClick={() => setEditing(p)} data-testid={`origin-threshold-${p.code}`}>
                      {t('修改', 'Edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing && division && (
        <ThresholdModal product={editing} division={division} onClose={() => setEditing(undefined)} />
      )}
    </Card>
  );
}

function ThresholdModal({ product, division, onClose }: { product: Product; division: string; onClose: () => void }) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<ThresholdForm>();
  const set = useApiMutation('put', '/api/v1/origin/thresholds', { invalidate: ['/api/v1/origin/products'] });
  const submit = useSubmit(
    form,
    (v) => set.mutateAsync({ body: { ...v, divisionCode: division, productCode: product.code } }),
    { onSuccess: onClose, successMessage: t('本地标准已保存', 'Local standard saved'), inline: true },
  );
  const unit = lang === 'en' ? product.unitNameEn : product.unitName;
  return (
    <Modal
      open
      title={t(`${product.name}：本地区采集标准`, `${product.nameEn}: local standard`)}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: submit.submitting }}
      width={Math.min(440, typeof window === 'undefined' ? 440 : window.innerWidth - 16)}
    >
      <Typography.Paragraph type="secondary">
        {t('适用于', 'Applies to')} <DivisionName code={division} withCode />{' '}
        {t('及下级地区', 'and the divisions below it')}
      </Typography.Paragraph>
      <ErrorText error={submit.error} />
      <Form
        form={form}
        layout="vertical"
        onFinish={submit.onFinish}
        initialValues={{
          threshold: product.threshold,
          facilityThreshold: product.facilityThreshold,
          cycleDays: product.cycleDays,
        }}
      >
        <Form.Item
          name="threshold"
          label={t(`规模标准（${unit}）`, `Scale threshold (${unit})`)}
          rules={[{ required: true, message: t('必填', 'Required') }]}
        >
          <InputNumber min={0} style={{ width: '100%' }} data-testid="origin-threshold-value" />
        </Form.Item>
        <Form.Item
          name="facilityThreshold"
          label={t(`设施标准（${unit}，可空）`, `Facility threshold (${unit}, optional)`)}
        >
          <InputNumber min={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="cycleDays" label={t('重新采集周期（天，可空）', 'Re-collect every (days, optional)')}>
          <InputNumber min={1} max={730} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
