import {
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import type { ApiBody } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { usePagedTable } from '../../shared/usePagedTable';
import { useSubmit } from '../../shared/useSubmit';
import { type DrawRow, label } from './api';

type DrawInput = ApiBody<'post', '/api/v1/random-draws'>;

/**
 * 双随机抽查: a seeded draw anyone can re-run (seed + pools recorded), producing patrol or sampling tasks. A draw may
 * be weighted by risk (风险分级): each producer's chance follows the shrunk failure rate of its product × county ×
 * season, and those weights are recorded with the draw.
 */
export default function DrawsPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const list = usePagedTable('/api/v1/random-draws', {});
  const [open, setOpen] = useState(false);
  const [shownId, setShownId] = useState<string | null>(null);
  const shown = useApiQuery(
    '/api/v1/random-draws/{id}',
    { params: { path: { id: shownId ?? '' } } },
    { enabled: !!shownId },
  ).data;
  const draw = useApiMutation('post', '/api/v1/random-draws', { invalidate: ['/api/v1/random-draws'] });
  const [form] = Form.useForm<DrawInput>();
  const submit = useSubmit(form, (v) => draw.mutateAsync({ body: { ...v, seed: v.seed || undefined } }), {
    successMessage: t('抽取完成', 'Drawn'),
    onSuccess: (d) => {
      setOpen(false);
      setShownId(d.id);
    },
  });
  return (
    <Card
      title={t('双随机抽查', 'Double-random checks')}
      extra={
        can('randomcheck.draw') && (
          <Button type="primary" size="large" onClick={() => setOpen(true)}>
            {t('随机抽取', 'Draw')}
          </Button>
        )
      }
    >
      <ErrorText error={list.error} />
      <Table<DrawRow>
        rowKey="id"
        size="small"
        {...list.tableProps}
        scroll={{ x: 'max-content' }}
        onRow={(d) => ({ onClick: () => setShownId(d.id), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('名称', 'Title'), dataIndex: 'title', render: (x) => <a>{x}</a> },
          { title: t('类型', 'Kind'), render: (_, d) => label(lang, d.taskKindZh, d.taskKindEn) },
          { title: t('抽取 / 名录', 'Drawn / pool'), render: (_, d) => `${d.subjectCount} / ${d.poolSize}` },
          {
            title: t('抽取方式', 'Weighting'),
            render: (_, d) => (
              <Tag color={d.weighting === 'risk' ? 'orange' : undefined}>
                {lang === 'en' ? d.weightingLabel.en : d.weightingLabel.zh}
              </Tag>
            ),
          },
          { title: t('随机种子', 'Seed'), dataIndex: 'seed', render: (s) => <code>{s}</code> },
          {
            title: t('时间', 'When'),
            dataIndex: 'createdAt',
            render: (d: string) => new Date(d).toLocaleString('zh-CN'),
          },
        ]}
      />
      <Modal
        open={open}
        title={t('双随机抽取', 'Draw')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={submit.submitting}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ taskKind: 'patrol', subjectCount: 3, inspectorsPerSubject: 2, weighting: 'uniform' }}
          onFinish={submit.onFinish}
        >
          <Form.Item name="title" label={t('名称', 'Title')} rules={[{ required: true, min: 2 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="taskKind" label={t('任务类型', 'Kind')}>
            <Radio.Group
              options={[
                { value: 'patrol', label: t('巡查', 'Patrol') },
                { value: 'sampling', label: t('抽样', 'Sampling') },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="weighting"
            label={t('抽取方式', 'Weighting')}
            extra={t(
              '按风险加权：主体被抽中的概率与其产品在本县本季的不合格率（近三年抽检，向上级地区收缩估计，样本少时不轻信）成正比；每个主体仍有机会被抽中，权重随抽取记录保存，可复现。',
              "Risk-weighted: a producer's chance follows the failure rate of its product in its county this season (three years of tests, shrunk toward the parent region so sparse data is not over-trusted); every producer keeps a chance, and the weights are stored with the draw so it can be re-run.",
            )}
          >
            <Radio.Group
              data-testid="draw-weighting"
              options={[
                { value: 'uniform', label: t('等概率', 'Uniform') },
                { value: 'risk', label: t('按风险加权', 'By risk') },
              ]}
            />
          </Form.Item>
          <Form.Item name="subjectCount" label={t('抽取主体数', 'Producers')}>
            <InputNumber min={1} />
          </Form.Item>
          <Form.Item name="inspectorsPerSubject" label={t('每户检查人员数', 'Inspectors each')}>
            <InputNumber min={1} max={5} />
          </Form.Item>
          <Form.Item name="seed" label={t('随机种子（留空自动生成；公开抽取时可当场公布）', 'Seed (empty = random)')}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
      <Modal open={!!shown} title={shown?.title} footer={null} onCancel={() => setShownId(null)} width={720}>
        {shown && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Descriptions size="small" column={1} bordered>
              <Descriptions.Item label={t('随机种子', 'Seed')}>
                <code>{shown.seed}</code>
              </Descriptions.Item>
              <Descriptions.Item label={t('算法', 'Algorithm')}>
                <code>{shown.algorithm}</code>
              </Descriptions.Item>
              <Descriptions.Item label={t('抽取方式', 'Weighting')}>
                {lang === 'en' ? shown.weightingLabel.en : shown.weightingLabel.zh}
                {shown.risk && (
                  <Typography.Text type="secondary">
                    {' · '}
                    {lang === 'en' ? shown.risk.seasonLabel.en : shown.risk.seasonLabel.zh} ·{' '}
                    {t('抽检历史', 'test history')} {shown.risk.historyFrom} — {shown.risk.historyTo}
                  </Typography.Text>
                )}
              </Descriptions.Item>
              <Descriptions.Item label={t('主体名录 / 检查人员名录', 'Pools')}>
                {shown.subjectPool.length} / {shown.inspectorPool.length}
              </Descriptions.Item>
              <Descriptions.Item label={t('复现校验', 'Re-run check')}>
                {shown.reproducible ? (
                  <Tag color="green">{t('用同一种子和名录重新抽取，结果一致', 'Re-run gives the same result')}</Tag>
                ) : (
                  <Tag color="red">{t('结果不一致！', 'Mismatch!')}</Tag>
                )}
              </Descriptions.Item>
            </Descriptions>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={shown.tasks}
              columns={[
                { title: t('主体', 'Producer'), dataIndex: 'subjectName' },
                { title: t('检查人员', 'Inspectors'), render: (_, x) => x.inspectors.map((i) => i.name).join('、') },
                ...(shown.risk
                  ? [
                      {
                        title: t('风险权重（不合格率）', 'Risk weight (failure rate)'),
                        render: (_: unknown, x: (typeof shown.tasks)[number]) =>
                          x.risk
                            ? `${(x.risk.weight * 100).toFixed(2)}%${x.risk.product ? ` · ${x.risk.product}` : ''}`
                            : '',
                      },
                    ]
                  : []),
                {
                  title: t('状态', 'Status'),
                  render: (_, x) => (
                    <Tag color={x.status === 'done' ? 'green' : undefined}>{label(lang, x.statusZh, x.statusEn)}</Tag>
                  ),
                },
              ]}
            />
          </Space>
        )}
      </Modal>
    </Card>
  );
}
