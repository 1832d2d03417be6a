import { App, Button, Card, Col, Form, Input, InputNumber, Progress, Row, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { type ApiBody, type ApiData, download } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText, fieldErrors } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { codeOf, ScanInput } from '../../shared/ui/ScanInput';
import { useApiQuery } from '../../shared/useApiQuery';

type Reservation = ApiData<'get', '/api/v1/codes/reservations'>[number];
type ReserveInput = ApiBody<'post', '/api/v1/codes/reservations'>;
/** The activation form: a range, or scanned codes typed one per line. */
type ActivateForm = Omit<ApiBody<'post', '/api/v1/codes/activate'>, 'codes'> & { codes?: string };

/** Mode (c): reserve inactive codes for a third-party printer, hand over the file, activate printed rolls by range or by scanning. */
export default function CodesPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const list = useApiQuery('/api/v1/codes/reservations');
  const batches = useApiQuery('/api/v1/batches', { params: { query: { pageSize: 100 } } });
  const reserve = useApiMutation('post', '/api/v1/codes/reservations', { invalidate: ['/api/v1/codes/reservations'] });
  const activate = useApiMutation('post', '/api/v1/codes/activate', { invalidate: ['/api/v1/codes/reservations'] });
  const [reserveForm] = Form.useForm<ReserveInput>();
  const [activateForm] = Form.useForm<ActivateForm>();
  // A scanned code joins the list to activate (once).
  const addCode = (code: string) => {
    if (!code) return;
    const list = (activateForm.getFieldValue('codes') ?? '').split(/\s+/).filter(Boolean);
    if (!list.includes(code)) activateForm.setFieldValue('codes', [...list, code].join('\n'));
  };
  const [error, setError] = useState<unknown>();
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={10}>
        <Card title={t('预留码段（第三方印刷）', 'Reserve codes for a printer')}>
          <Form
            form={reserveForm}
            layout="vertical"
            size="large"
            onFinish={async (v) => {
              try {
                const r = await reserve.mutateAsync({ body: v });
                message.success(
                  r.status === 'ready'
                    ? t('已预留，可下载印刷文件', 'Reserved: the printer file is ready')
                    : t('正在生成，请稍候刷新', 'Generating; refresh in a moment'),
                );
                reserveForm.resetFields();
              } catch (e) {
                reserveForm.setFields(fieldErrors(e, lang));
                setError(e);
              }
            }}
          >
            <Form.Item
              name="count"
              label={t('数量（最多 100 万）', 'How many (up to 1,000,000)')}
              rules={[{ required: true }]}
            >
              <InputNumber min={1} max={1_000_000} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="printer" label={t('印刷单位', 'Printer')}>
              <Input />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t('预留', 'Reserve')}
            </Button>
          </Form>
        </Card>
        <Card title={t('激活已印制的码并绑定批次', 'Activate printed codes for a batch')} style={{ marginTop: 16 }}>
          <ErrorText error={error} />
          <Form
            form={activateForm}
            layout="vertical"
            size="large"
            onFinish={async (v) => {
              try {
                const codes = v.codes?.split(/\s+/).filter(Boolean);
                const r = await activate.mutateAsync({
                  body: { batchId: v.batchId, ...(codes?.length ? { codes } : { from: v.from, to: v.to }) },
                });
                message.success(t(`已激活 ${r.activated} 个码`, `${r.activated} codes activated`));
                setError(undefined);
              } catch (e) {
                activateForm.setFields(fieldErrors(e, lang));
                setError(e);
              }
            }}
          >
            <Form.Item name="batchId" label={t('批次', 'Batch')} rules={[{ required: true }]}>
              <Select
                options={batches.data?.items.map((b) => ({ value: b.id, label: `${b.productName} ${b.batchNo}` }))}
              />
            </Form.Item>
            <Form.Item name="from" label={t('起始码', 'First code')}>
              <Input inputMode="numeric" />
            </Form.Item>
            <Form.Item name="to" label={t('结束码', 'Last code')}>
              <Input inputMode="numeric" />
            </Form.Item>
            <Form.Item label={t('逐个扫码加入', 'Scan codes one by one')}>
              <ScanInput
                testId="activate-scan"
                placeholder={t('扫码或输入一个码后回车', 'Scan, or type one code and press Enter')}
                onScan={addCode}
                onPressEnter={(e) => {
                  e.preventDefault();
                  addCode(codeOf(e.currentTarget.value));
                  e.currentTarget.value = '';
                }}
              />
            </Form.Item>
            <Form.Item name="codes" label={t('或逐个扫码（每行一个）', 'Or scan codes (one per line)')}>
              <Input.TextArea rows={3} />
            </Form.Item>
            <Button type="primary" htmlType="submit">
              {t('激活', 'Activate')}
            </Button>
          </Form>
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        <Card
          title={t('预留记录', 'Reservations')}
          extra={<Button onClick={() => list.refetch()}>{t('刷新', 'Refresh')}</Button>}
        >
          <ErrorText error={list.error} />
          <Table<Reservation>
            rowKey="id"
            size="small"
            scroll={{ x: true }}
            loading={list.isFetching}
            dataSource={list.data}
            pagination={false}
            columns={[
              { title: t('数量', 'Count'), dataIndex: 'count' },
              {
                title: t('码段', 'Range'),
                render: (_, r) => (
                  <>
                    <code>{r.firstCode}</code> – <code>{r.lastCode}</code>
                  </>
                ),
              },
              { title: t('印刷单位', 'Printer'), dataIndex: 'printer' },
              {
                title: t('已激活', 'Activated'),
                render: (_, r) => (
                  <Progress
                    size="small"
                    percent={Math.round((r.activated / r.count) * 100)}
                    format={() => r.activated}
                  />
                ),
              },
              {
                title: t('状态', 'Status'),
                render: (_, r) =>
                  r.status === 'ready' ? (
                    <Tag color="green">{t('可下载', 'Ready')}</Tag>
                  ) : (
                    <Tag color="blue">{t('生成中', 'Generating')}</Tag>
                  ),
              },
              {
                title: '',
                render: (_, r) =>
                  r.status === 'ready' && (
                    <a
                      onClick={() =>
                        download(
                          '/api/v1/codes/reservations/{id}/file',
                          { params: { path: { id: r.id } } },
                          `codes-${r.id}.csv`,
                        ).catch(setError)
                      }
                    >
                      {t('下载印刷文件', 'Printer file')}
                    </a>
                  ),
              },
            ]}
          />
        </Card>
      </Col>
    </Row>
  );
}
