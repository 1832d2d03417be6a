import {
  Alert,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Radio,
  Result,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { type ApiBody, type ApiData, type ApiItem, download } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { isQueued, useQueuedMutation, useQueuedNotice } from '../../shared/offline/useQueuedMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { usePagedTable } from '../../shared/usePagedTable';
import { useSubmit } from '../../shared/useSubmit';
import { ScanInput } from '../../shared/ui/ScanInput';

type Sale = ApiData<'post', '/api/v1/sales'>;
type SaleInput = ApiBody<'post', '/api/v1/sales'>;
type SaleRow = ApiItem<'/api/v1/sales'>;

/** 销售：选批次、数量，扫/输买方身份码（或未注册买方、入市），开具并打印凭证。Phone first. */
export default function SellPage() {
  const { t, lang } = useI18n();
  const showError = useShowError();
  const [params] = useSearchParams();
  const [form] = Form.useForm<SaleInput>();
  const [done, setDone] = useState<Sale | null>(null);
  const batches = useApiQuery('/api/v1/batches', { params: { query: { pageSize: 200 } } });
  const sales = usePagedTable('/api/v1/sales', { role: 'seller' });
  const customers = useApiQuery('/api/v1/customers', { params: { query: { pageSize: 200 } } });
  // Through the offline queue: without signal the sale is kept on the device and sent once when online; a conflict
  // then (stock sold meanwhile, batch recalled) comes back on the queued item, where the quantity can be fixed.
  const create = useQueuedMutation('/api/v1/sales', 'sale', ['/api/v1/sales', '/api/v1/batches']);
  const queuedNotice = useQueuedNotice();
  const kind = Form.useWatch('buyerKind', form) ?? 'registered';
  const selectedCustomer = Form.useWatch('customerId', form);
  const sellable = (batches.data?.items ?? []).filter((b) => b.stock > 0 && b.allowedActions.includes('sell'));
  const voucherPdf = (id: string) =>
    download('/api/v1/sales/{id}/voucher.pdf', { params: { path: { id } } }, 'voucher.pdf').catch(showError);

  const submit = useSubmit(
    form,
    (v: SaleInput) => {
      const b = batches.data?.items.find((x) => x.id === v.batchId);
      const what = b ? `${b.productName} ${b.batchNo} ${v.quantity}${b.unit}` : `${v.quantity}`;
      return create(Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== '')) as SaleInput, {
        zh: `销售 ${what}`,
        en: `Sale ${what}`,
        link: '/chain/sell',
        edit: [{ field: 'quantity', zh: '数量', en: 'Quantity' }],
      });
    },
    {
      inline: true,
      onSuccess: (s) => {
        if (isQueued(s)) {
          queuedNotice();
          setDone(null);
        } else setDone(s);
        form.resetFields(['quantity', 'buyerIdentityCode', 'buyerName', 'buyerPhone']);
      },
    },
  );

  return (
    <Space direction="vertical" size={16} style={{ width: '100%', maxWidth: 720 }}>
      <Card title={t('登记销售', 'Record a sale')}>
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={t(
            '扫码交易：买方已在平台注册的，扫描或输入买方的主体身份码，买方确认后生成流通批次码；未注册买方开具追溯凭证；进入批发市场、零售市场开具入市追溯凭证。',
            'Scan-to-trade: for a registered buyer scan its identity code (it confirms and gets a circulation code); an unregistered buyer gets a traceability voucher; goods entering a market get a market-entry voucher.',
          )}
        />
        <ErrorText error={submit.error} />
        <Form
          form={form}
          layout="vertical"
          size="large"
          onFinish={submit.onFinish}
          initialValues={{ buyerKind: 'registered', batchId: params.get('batch') ?? undefined }}
        >
          <Form.Item
            name="batchId"
            label={t('销售哪个批次', 'Which batch')}
            rules={[{ required: true, message: t('请选择批次', 'Choose a batch') }]}
          >
            <Select
              data-testid="sell-batch"
              showSearch
              optionFilterProp="label"
              loading={batches.isLoading}
              placeholder={t('选择有库存的批次', 'A batch with stock')}
              options={sellable.map((b) => ({
                value: b.id,
                label: `${b.productName} ${b.batchNo}（${t('库存', 'stock')} ${b.stock}${b.unit}）`,
              }))}
            />
          </Form.Item>
          <Form.Item
            name="quantity"
            label={t('数量', 'Quantity')}
            rules={[{ required: true, message: t('请填写数量', 'Give the quantity') }]}
          >
            <InputNumber min={0.001} style={{ width: '100%' }} data-testid="sell-quantity" />
          </Form.Item>
          <Form.Item name="buyerKind" label={t('卖给谁', 'Sold to')}>
            <Radio.Group
              optionType="button"
              buttonStyle="solid"
              data-testid="sell-kind"
              options={[
                { value: 'registered', label: t('已注册主体', 'Registered buyer') },
                { value: 'unregistered', label: t('未注册买方', 'Unregistered buyer') },
                { value: 'market', label: t('进入市场', 'Into a market') },
              ]}
            />
          </Form.Item>
          {!!customers.data?.length && (
            <Form.Item name="customerId" label={t('或从客户中选择', 'Or choose a customer')}>
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                data-testid="sell-customer"
                options={customers.data.map((c) => ({
                  value: c.id,
                  label: `${c.name}${c.phone ? ` ${c.phone}` : ''}`,
                }))}
              />
            </Form.Item>
          )}
          {kind !== 'unregistered' && (
            <Form.Item
              name="buyerIdentityCode"
              label={
                kind === 'market'
                  ? t('市场主体身份码（可不填，改填市场名称）', "The market's identity code (or its name below)")
                  : t('买方主体身份码（扫码或输入）', "Buyer's identity code (scan or type)")
              }
              rules={
                kind === 'registered' && !selectedCustomer
                  ? [
                      {
                        required: true,
                        message: t(
                          '请扫描或输入买方身份码，或选择已注册的客户',
                          "Scan or type the buyer's code, or choose a registered customer",
                        ),
                      },
                    ]
                  : []
              }
            >
              <ScanInput
                testId="sell-buyer"
                placeholder={t('扫描买方出示的二维码', 'Scan the code the buyer shows')}
                data-testid="sell-buyer-code"
                autoComplete="off"
              />
            </Form.Item>
          )}
          {kind !== 'registered' && (
            <>
              <Form.Item
                name="buyerName"
                label={kind === 'market' ? t('市场名称', 'Market name') : t('买方姓名或名称', "Buyer's name")}
              >
                <Input data-testid="sell-buyer-name" />
              </Form.Item>
              <Form.Item name="buyerPhone" label={t('买方电话（召回时联系）', "Buyer's phone (for recalls)")}>
                <Input inputMode="tel" />
              </Form.Item>
            </>
          )}
          <Button type="primary" htmlType="submit" block loading={submit.submitting} data-testid="sell-submit">
            {t('确认销售', 'Record the sale')}
          </Button>
        </Form>
      </Card>
      {done && (
        <Result
          status="success"
          data-testid="sell-done"
          title={
            done.status === 'pending'
              ? t(`已登记，等待“${done.buyerName}”确认收货`, `Recorded; waiting for ${done.buyerName} to confirm`)
              : t(`已开具${done.voucherName}`, `${done.voucherNameEn} issued`)
          }
          subTitle={
            done.voucherCode ? (
              <Typography.Text copyable code data-testid="voucher-code">
                {done.voucherCode}
              </Typography.Text>
            ) : (
              `${done.productName} ${done.quantity}${done.unit}`
            )
          }
          extra={
            done.allowedActions.includes('printVoucher') ? (
              <Button size="large" type="primary" data-testid="voucher-print" onClick={() => void voucherPdf(done.id)}>
                {t('打印凭证', 'Print the voucher')}
              </Button>
            ) : null
          }
        />
      )}
      <Card title={t('最近销售', 'Recent sales')}>
        <Table<SaleRow>
          rowKey="id"
          size="small"
          {...sales.tableProps}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('时间', 'Time'),
              dataIndex: 'soldAt',
              render: (v: string) => new Date(v).toLocaleString('zh-CN'),
            },
            { title: t('产品', 'Product'), render: (_, s) => `${s.productName} ${s.quantity}${s.unit}` },
            { title: t('买方', 'Buyer'), dataIndex: 'buyerName' },
            {
              title: t('状态', 'Status'),
              render: (_, s) => (
                <Tag color={{ pending: 'orange', accepted: 'green', refused: 'red', vouchered: 'blue' }[s.status]}>
                  {lang === 'en' ? s.statusNameEn : s.statusName}
                </Tag>
              ),
            },
            {
              title: t('凭证', 'Voucher'),
              render: (_, s) =>
                s.allowedActions.includes('printVoucher') ? (
                  <Button size="small" onClick={() => void voucherPdf(s.id)}>
                    {t('打印', 'Print')}
                  </Button>
                ) : null,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
