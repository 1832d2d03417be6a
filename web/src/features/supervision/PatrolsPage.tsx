import { App, Button, Card, Form, Input, InputNumber, Modal, Radio, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { get, type Page, post } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, fieldErrors } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import { type Patrol, type Plan, STATUS_COLORS } from './api';

const PERIOD: Record<string, [string, string]> = { year: ['年度', 'Year'], quarter: ['季度', 'Quarter'], month: ['月度', 'Month'] };

/** 巡查计划与记录: plans with progress, patrols in my jurisdiction, rectification follow-up. */
export default function PatrolsPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const year = Number(new Date().toISOString().slice(0, 4));
  const plans = useRequest(() => get<Plan[]>('/patrol-plans', { year }), []);
  const [page, setPage] = useState(1);
  const list = useRequest(() => get<Page<Patrol>>('/patrols', { page, pageSize: 20 }), [page]);
  const [planOpen, setPlanOpen] = useState(false);
  const [follow, setFollow] = useState<Patrol | null>(null);
  const [pf] = Form.useForm();
  const [ff] = Form.useForm();
  const period = Form.useWatch('period', pf);
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t(`${year} 年巡查计划`, `Patrol plans ${year}`)} extra={<Space>
        {can('patrol.start') && <Button type="primary" size="large" onClick={() => navigate('/supervision/patrol')}>{t('扫码巡查', 'Scan & patrol')}</Button>}
        {can('patrol.plan') && <Button size="large" onClick={() => setPlanOpen(true)}>{t('制定计划', 'New plan')}</Button>}
      </Space>}>
        <ErrorText error={plans.error} />
        <Table<Plan> rowKey="id" size="small" pagination={false} dataSource={plans.data} scroll={{ x: true }} columns={[
          { title: t('机构', 'Organisation'), dataIndex: 'orgName' },
          { title: t('计划', 'Plan'), dataIndex: 'title' },
          { title: t('周期', 'Period'), render: (_, p) => `${t(...PERIOD[p.period])}${p.periodNo || ''}` },
          { title: t('完成 / 目标', 'Done / target'), render: (_, p) => <span>{p.done} / {p.target} {p.done >= p.target && <Tag color="green">{t('已完成', 'done')}</Tag>}</span> },
        ]} />
      </Card>
      <Card title={t('巡查记录', 'Patrols')}>
        <ErrorText error={list.error} />
        <Table<Patrol> rowKey="id" size="small" loading={list.loading} dataSource={list.data?.items} scroll={{ x: true }}
          pagination={{ current: page, total: list.data?.total, pageSize: 20, onChange: setPage }}
          columns={[
            { title: t('主体', 'Producer'), dataIndex: 'subjectName' },
            { title: t('巡查人', 'Inspector'), dataIndex: 'inspectorName' },
            { title: t('结果', 'Result'), render: (_, p) => <Tag color={STATUS_COLORS[p.status]}>{lang === 'en' ? p.statusEn : p.statusZh}</Tag> },
            { title: t('问题', 'Findings'), dataIndex: 'findings' },
            { title: t('整改期限', 'Deadline'), dataIndex: 'rectifyDeadline' },
            { title: t('照片/签名', 'Photos / signature'), render: (_, p) => <Space>{[...p.photos, ...(p.signature ? [p.signature] : [])].map((f) => <a key={f.id} href={`/api/v1/files/${f.id}`} target="_blank" rel="noreferrer"><img src={`/api/v1/files/${f.id}`} alt="" style={{ height: 36 }} /></a>)}</Space> },
            { title: t('时间', 'When'), dataIndex: 'startedAt', render: (d: string) => new Date(d).toLocaleString('zh-CN') },
            { title: '', render: (_, p) => p.allowedActions.includes('followUp') && <Button size="small" onClick={() => setFollow(p)}>{t('整改复查', 'Follow up')}</Button> },
          ]} />
      </Card>
      <Modal open={planOpen} title={t('制定巡查计划', 'New patrol plan')} onCancel={() => setPlanOpen(false)} onOk={() => pf.submit()} destroyOnHidden>
        <Form form={pf} layout="vertical" initialValues={{ year, period: 'quarter', periodNo: 1 }} onFinish={async (v) => {
          try { await post('/patrol-plans', v); setPlanOpen(false); plans.reload(); message.success(t('计划已保存', 'Plan saved')); } catch (e) { pf.setFields(fieldErrors(e, lang)); }
        }}>
          <Form.Item name="year" label={t('年份', 'Year')}><InputNumber min={2000} max={2100} /></Form.Item>
          <Form.Item name="period" label={t('周期', 'Period')}><Radio.Group options={Object.entries(PERIOD).map(([v, l]) => ({ value: v, label: t(...l) }))} /></Form.Item>
          {period !== 'year' && <Form.Item name="periodNo" label={period === 'quarter' ? t('季度（1–4）', 'Quarter') : t('月份（1–12）', 'Month')}><InputNumber min={1} max={12} /></Form.Item>}
          <Form.Item name="target" label={t('目标次数', 'Target')} rules={[{ required: true }]}><InputNumber min={1} /></Form.Item>
        </Form>
      </Modal>
      <Modal open={!!follow} title={t('整改复查', 'Follow-up')} onCancel={() => setFollow(null)} onOk={() => ff.submit()} destroyOnHidden>
        <Form form={ff} layout="vertical" initialValues={{ rectified: true }} onFinish={async (v) => {
          try { await post(`/patrols/${follow?.id}/follow-up`, v); setFollow(null); list.reload(); } catch (e) { ff.setFields(fieldErrors(e, lang)); }
        }}>
          <Form.Item name="rectified" label={t('是否已整改', 'Rectified?')}><Radio.Group options={[{ value: true, label: t('已整改', 'Yes') }, { value: false, label: t('未整改', 'No') }]} /></Form.Item>
          <Form.Item name="note" label={t('复查情况', 'Note')} rules={[{ required: true }]}><Input.TextArea rows={3} /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
