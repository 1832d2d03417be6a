import { App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { get, type Page, post } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, errorMessage } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import type { MonTask } from './api';

const KINDS: [string, string, string][] = [['routine', '例行监测', 'Routine'], ['special', '专项监测', 'Special'], ['supervisory', '监督抽查', 'Supervisory'], ['retest', '复检', 'Re-test'], ['emergency', '应急监测', 'Emergency']];

/** 监测任务: issue a task with test items and assign it to a testing organisation. */
export default function TasksPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const list = useRequest(() => get<MonTask[]>('/monitoring-tasks'), []);
  const labs = useRequest(() => (can('org.read') ? get<Page<{ id: string; name: string; divisionCode: string }>>('/organisations', { kind: 'testing', pageSize: 200 }) : Promise.resolve(null)), []);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  return (
    <Card title={t('监测任务', 'Monitoring tasks')} extra={can('monitoring.manage') && <Button type="primary" size="large" onClick={() => setOpen(true)}>{t('下达任务', 'New task')}</Button>}>
      <ErrorText error={list.error} />
      <Table<MonTask> rowKey="id" size="small" dataSource={list.data} loading={list.loading} scroll={{ x: true }} columns={[
        { title: t('编号', 'Code'), dataIndex: 'code' },
        { title: t('名称', 'Title'), dataIndex: 'title' },
        { title: t('类型', 'Kind'), dataIndex: 'kindZh', render: (k) => <Tag>{k}</Tag> },
        { title: t('产品', 'Products'), dataIndex: 'products', render: (p: string[]) => p.join('、') },
        { title: t('检测项目', 'Items'), dataIndex: 'items', render: (i: MonTask['items']) => i.map((x) => x.item).join('、') },
        { title: t('期限', 'Period'), render: (_, x) => `${x.startDate} ~ ${x.endDate}` },
      ]} />
      <Modal open={open} title={t('下达监测任务', 'New monitoring task')} onCancel={() => setOpen(false)} onOk={() => form.submit()} destroyOnHidden width={640}>
        <Form form={form} layout="vertical" initialValues={{ kind: 'routine', quantity: 20, items: '毒死蜱,mg/kg,0.02,GB 2763-2021' }} onFinish={async (v) => {
          try {
            const [start, end] = v.range.map((d: { format: (f: string) => string }) => d.format('YYYY-MM-DD'));
            const items = String(v.items).split('\n').map((l) => l.split(/[,，]/).map((s) => s.trim())).filter((p) => p[0]).map(([item, unit, limit, standard]) => ({ item, unit: unit || 'mg/kg', limit: limit ? Number(limit) : null, standard: standard || 'GB 2763-2021' }));
            const lab = labs.data?.items.find((l) => l.id === v.lab);
            await post('/monitoring-tasks', { title: v.title, kind: v.kind, products: String(v.products).split(/[,，、]/).map((s) => s.trim()).filter(Boolean), items, startDate: start, endDate: end, assignments: [{ testingOrgId: v.lab, divisionCode: lab?.divisionCode, quantity: v.quantity, deadline: end }] });
            setOpen(false); list.reload(); message.success(t('任务已下达，检测机构已收到通知', 'Task issued; the lab is notified'));
          } catch (e) { message.error(errorMessage(e, lang)); }
        }}>
          <Form.Item name="title" label={t('名称', 'Title')} rules={[{ required: true, min: 2 }]}><Input /></Form.Item>
          <Form.Item name="kind" label={t('类型', 'Kind')}><Select options={KINDS.map(([v, zh, en]) => ({ value: v, label: lang === 'en' ? en : zh }))} /></Form.Item>
          <Form.Item name="products" label={t('产品（逗号分隔）', 'Products')} rules={[{ required: true }]}><Input placeholder="豇豆,韭菜" /></Form.Item>
          <Form.Item name="items" label={t('检测项目（每行：项目,单位,限量,标准）', 'Items (one per line: item,unit,limit,standard)')} rules={[{ required: true }]}><Input.TextArea rows={3} /></Form.Item>
          <Form.Item name="range" label={t('起止日期', 'Period')} rules={[{ required: true }]}><DatePicker.RangePicker /></Form.Item>
          <Form.Item name="lab" label={t('检测机构', 'Testing organisation')} rules={[{ required: true }]}><Select options={labs.data?.items.map((l) => ({ value: l.id, label: l.name }))} /></Form.Item>
          <Form.Item name="quantity" label={t('样品数量', 'Samples')}><InputNumber min={1} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
