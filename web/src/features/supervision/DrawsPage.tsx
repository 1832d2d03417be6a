import { App, Button, Card, Descriptions, Form, Input, InputNumber, Modal, Radio, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { get, post } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, fieldErrors } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';

interface DrawRow { id: string; title: string; taskKind: string; seed: string; subjectCount: number; poolSize: number; createdAt: string }
interface Draw extends DrawRow { algorithm: string; reproducible: boolean; subjectPool: string[]; inspectorPool: string[]; tasks: { id: string; subjectName: string; status: string; inspectors: { name: string; orgName: string }[] }[] }

/** 双随机抽查: a seeded draw anyone can re-run (seed + pools recorded), producing patrol or sampling tasks. */
export default function DrawsPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const list = useRequest(() => get<DrawRow[]>('/random-draws'), []);
  const [open, setOpen] = useState(false);
  const [shown, setShown] = useState<Draw | null>(null);
  const [form] = Form.useForm();
  const show = async (id: string) => setShown(await get<Draw>(`/random-draws/${id}`));
  return (
    <Card title={t('双随机抽查', 'Double-random checks')} extra={can('randomcheck.draw') && <Button type="primary" size="large" onClick={() => setOpen(true)}>{t('随机抽取', 'Draw')}</Button>}>
      <ErrorText error={list.error} />
      <Table<DrawRow> rowKey="id" size="small" dataSource={list.data} loading={list.loading} scroll={{ x: true }} onRow={(d) => ({ onClick: () => show(d.id), style: { cursor: 'pointer' } })} columns={[
        { title: t('名称', 'Title'), dataIndex: 'title', render: (x) => <a>{x}</a> },
        { title: t('类型', 'Kind'), dataIndex: 'taskKind', render: (k) => (k === 'patrol' ? t('巡查', 'Patrol') : t('抽样', 'Sampling')) },
        { title: t('抽取 / 名录', 'Drawn / pool'), render: (_, d) => `${d.subjectCount} / ${d.poolSize}` },
        { title: t('随机种子', 'Seed'), dataIndex: 'seed', render: (s) => <code>{s}</code> },
        { title: t('时间', 'When'), dataIndex: 'createdAt', render: (d: string) => new Date(d).toLocaleString('zh-CN') },
      ]} />
      <Modal open={open} title={t('双随机抽取', 'Draw')} onCancel={() => setOpen(false)} onOk={() => form.submit()} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ taskKind: 'patrol', subjectCount: 3, inspectorsPerSubject: 2 }} onFinish={async (v) => {
          try { const d = await post<Draw>('/random-draws', { ...v, seed: v.seed || undefined }); setOpen(false); list.reload(); setShown(d); message.success(t('抽取完成', 'Drawn')); } catch (e) { form.setFields(fieldErrors(e, lang)); }
        }}>
          <Form.Item name="title" label={t('名称', 'Title')} rules={[{ required: true, min: 2 }]}><Input /></Form.Item>
          <Form.Item name="taskKind" label={t('任务类型', 'Kind')}><Radio.Group options={[{ value: 'patrol', label: t('巡查', 'Patrol') }, { value: 'sampling', label: t('抽样', 'Sampling') }]} /></Form.Item>
          <Form.Item name="subjectCount" label={t('抽取主体数', 'Producers')}><InputNumber min={1} /></Form.Item>
          <Form.Item name="inspectorsPerSubject" label={t('每户检查人员数', 'Inspectors each')}><InputNumber min={1} max={5} /></Form.Item>
          <Form.Item name="seed" label={t('随机种子（留空自动生成；公开抽取时可当场公布）', 'Seed (empty = random)')}><Input /></Form.Item>
        </Form>
      </Modal>
      <Modal open={!!shown} title={shown?.title} footer={null} onCancel={() => setShown(null)} width={720}>
        {shown && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('随机种子', 'Seed')}><code>{shown.seed}</code></Descriptions.Item>
              <Descriptions.Item label={t('算法', 'Algorithm')}><code>{shown.algorithm}</code></Descriptions.Item>
              <Descriptions.Item label={t('主体名录 / 检查人员名录', 'Pools')}>{shown.subjectPool.length} / {shown.inspectorPool.length}</Descriptions.Item>
              <Descriptions.Item label={t('复现校验', 'Re-run check')}>{shown.reproducible ? <Tag color="green">{t('用同一种子和名录重新抽取，结果一致', 'Re-run gives the same result')}</Tag> : <Tag color="red">{t('结果不一致！', 'Mismatch!')}</Tag>}</Descriptions.Item>
            </Descriptions>
            <Table size="small" rowKey="id" pagination={false} dataSource={shown.tasks} columns={[
              { title: t('主体', 'Producer'), dataIndex: 'subjectName' },
              { title: t('检查人员', 'Inspectors'), render: (_, x) => x.inspectors.map((i) => i.name).join('、') },
              { title: t('状态', 'Status'), dataIndex: 'status', render: (s) => (s === 'done' ? <Tag color="green">{t('已完成', 'done')}</Tag> : <Tag>{t('待检查', 'open')}</Tag>) },
            ]} />
          </Space>
        )}
      </Modal>
    </Card>
  );
}
