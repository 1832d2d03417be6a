import { App, Button, Card, Col, Form, Input, InputNumber, Progress, Row, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { download, get, type Page, post } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText, fieldErrors } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import type { Batch } from './api';

interface Reservation { id: string; count: number; firstCode: string; lastCode: string; printer: string | null; status: string; jobId: string | null; activated: number; createdAt: string }

/** Mode (c): reserve inactive codes for a third-party printer, hand over the file, activate printed rolls by range or by scanning. */
export default function CodesPage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const list = useRequest(() => get<Reservation[]>('/codes/reservations'), []);
  const batches = useRequest(() => get<Page<Batch>>('/batches', { pageSize: 100 }), []);
  const [reserveForm] = Form.useForm();
  const [activateForm] = Form.useForm();
  const [error, setError] = useState<unknown>();
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={10}>
        <Card title={t('预留码段（第三方印刷）', 'Reserve codes for a printer')}>
          <Form form={reserveForm} layout="vertical" size="large" onFinish={async (v) => {
            try {
              const r = await post<Reservation>('/codes/reservations', v);
              message.success(r.status === 'ready' ? t('已预留，可下载印刷文件', 'Reserved: the printer file is ready') : t('正在生成，请稍候刷新', 'Generating; refresh in a moment'));
              reserveForm.resetFields();
              void list.reload();
            } catch (e) {
              reserveForm.setFields(fieldErrors(e, lang));
              setError(e);
            }
          }}>
            <Form.Item name="count" label={t('数量（最多 100 万）', 'How many (up to 1,000,000)')} rules={[{ required: true }]}><InputNumber min={1} max={1_000_000} style={{ width: '100%' }} /></Form.Item>
            <Form.Item name="printer" label={t('印刷单位', 'Printer')}><Input /></Form.Item>
            <Button type="primary" htmlType="submit">{t('预留', 'Reserve')}</Button>
          </Form>
        </Card>
        <Card title={t('激活已印制的码并绑定批次', 'Activate printed codes for a batch')} style={{ marginTop: 16 }}>
          <ErrorText error={error} />
          <Form form={activateForm} layout="vertical" size="large" onFinish={async (v) => {
            try {
              const codes = (v.codes as string | undefined)?.split(/\s+/).filter(Boolean);
              const r = await post<{ activated: number }>('/codes/activate', { batchId: v.batchId, ...(codes?.length ? { codes } : { from: v.from, to: v.to }) });
              message.success(t(`已激活 ${r.activated} 个码`, `${r.activated} codes activated`));
              setError(undefined);
              void list.reload();
            } catch (e) {
              activateForm.setFields(fieldErrors(e, lang));
              setError(e);
            }
          }}>
            <Form.Item name="batchId" label={t('批次', 'Batch')} rules={[{ required: true }]}><Select options={batches.data?.items.map((b) => ({ value: b.id, label: `${b.productName} ${b.batchNo}` }))} /></Form.Item>
            <Form.Item name="from" label={t('起始码', 'First code')}><Input inputMode="numeric" /></Form.Item>
            <Form.Item name="to" label={t('结束码', 'Last code')}><Input inputMode="numeric" /></Form.Item>
            <Form.Item name="codes" label={t('或逐个扫码（每行一个）', 'Or scan codes (one per line)')}><Input.TextArea rows={3} /></Form.Item>
            <Button type="primary" htmlType="submit">{t('激活', 'Activate')}</Button>
          </Form>
        </Card>
      </Col>
      <Col xs={24} lg={14}>
        <Card title={t('预留记录', 'Reservations')} extra={<Button onClick={() => list.reload()}>{t('刷新', 'Refresh')}</Button>}>
          <ErrorText error={list.error} />
          <Table<Reservation> rowKey="id" size="small" scroll={{ x: true }} loading={list.loading} dataSource={list.data} pagination={false} columns={[
            { title: t('数量', 'Count'), dataIndex: 'count' },
            { title: t('码段', 'Range'), render: (_, r) => <><code>{r.firstCode}</code> – <code>{r.lastCode}</code></> },
            { title: t('印刷单位', 'Printer'), dataIndex: 'printer' },
            { title: t('已激活', 'Activated'), render: (_, r) => <Progress size="small" percent={Math.round((r.activated / r.count) * 100)} format={() => r.activated} /> },
            { title: t('状态', 'Status'), render: (_, r) => (r.status === 'ready' ? <Tag color="green">{t('可下载', 'Ready')}</Tag> : <Tag color="blue">{t('生成中', 'Generating')}</Tag>) },
            { title: '', render: (_, r) => r.status === 'ready' && <a onClick={() => download(`/codes/reservations/${r.id}/file`, undefined, `codes-${r.id}.csv`).catch(setError)}>{t('下载印刷文件', 'Printer file')}</a> },
          ]} />
        </Card>
      </Col>
    </Row>
  );
}
