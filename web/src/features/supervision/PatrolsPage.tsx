import { Button, Card, Form, Input, InputNumber, Modal, Radio, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { ApiBody } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { Attachments } from '../../shared/ui/Attachments';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { usePagedTable } from '../../shared/usePagedTable';
import { useSubmit } from '../../shared/useSubmit';
import { SharedFrom } from '../../shared/ui/SharedFrom';
import { SharedRecordDrawer } from '../sharing/SharedRecordDrawer';
import { label, type Patrol, type Plan, STATUS_COLORS } from './api';

type PlanInput = ApiBody<'post', '/api/v1/patrol-plans'>;
type FollowUp = ApiBody<'post', '/api/v1/patrols/{id}/follow-up'>;
const PERIOD: Record<PlanInput['period'], [string, string]> = {
  year: ['年度', 'Year'],
  quarter: ['季度', 'Quarter'],
  month: ['月度', 'Month'],
};

/** 巡查计划与记录: plans with progress, patrols in my jurisdiction, rectification follow-up. */
export default function PatrolsPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const navigate = useNavigate();
  const year = Number(new Date().toISOString().slice(0, 4));
  const plans = useApiQuery('/api/v1/patrol-plans', { params: { query: { year } } });
  const list = usePagedTable('/api/v1/patrols', {});
  const createPlan = useApiMutation('post', '/api/v1/patrol-plans', { invalidate: ['/api/v1/patrol-plans'] });
  const followUp = useApiMutation('post', '/api/v1/patrols/{id}/follow-up', {
    invalidate: ['/api/v1/patrols', '/api/v1/patrol-plans'],
  });
  const [shared, setShared] = useState<Patrol | null>(null);
  const [planOpen, setPlanOpen] = useState(false);
  const [follow, setFollow] = useState<Patrol | null>(null);
  const [pf] = Form.useForm<PlanInput>();
  const [ff] = Form.useForm<FollowUp>();
  const period = Form.useWatch('period', pf);
  const submitPlan = useSubmit(pf, (body) => createPlan.mutateAsync({ body }), {
    successMessage: t('计划已保存', 'Plan saved'),
    onSuccess: () => setPlanOpen(false),
  });
  const submitFollowUp = useSubmit(
    ff,
    (body) => followUp.mutateAsync({ params: { path: { id: follow?.id ?? '' } }, body }),
    { onSuccess: () => setFollow(null) },
  );
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        title={t(`${year} 年巡查计划`, `Patrol plans ${year}`)}
        extra={
          <Space>
            {can('patrol.start') && (
              <Button type="primary" size="large" onClick={() => navigate('/supervision/patrol')}>
                {t('扫码巡查', 'Scan & patrol')}
              </Button>
            )}
            {can('patrol.plan') && (
              <Button size="large" onClick={() => setPlanOpen(true)}>
                {t('制定计划', 'New plan')}
              </Button>
            )}
          </Space>
        }
      >
        <ErrorText error={plans.error} />
        <Table<Plan>
          rowKey="id"
          size="small"
          pagination={false}
          loading={plans.isLoading}
          dataSource={plans.data?.items}
          scroll={{ x: true }}
          columns={[
            { title: t('机构', 'Organisation'), dataIndex: 'orgName' },
            { title: t('计划', 'Plan'), dataIndex: 'title' },
            {
              title: t('周期', 'Period'),
              render: (_, p) => `${label(lang, p.periodZh, p.periodEn)}${p.periodNo || ''}`,
            },
            {
              title: t('完成 / 目标', 'Done / target'),
              render: (_, p) => (
                <span>
                  {p.done} / {p.target} {p.done >= p.target && <Tag color="green">{t('已完成', 'done')}</Tag>}
                </span>
              ),
            },
          ]}
        />
      </Card>
      <Card title={t('巡查记录', 'Patrols')}>
        <ErrorText error={list.error} />
        <Table<Patrol>
          rowKey="id"
          size="small"
          {...list.tableProps}
          scroll={{ x: 'max-content' }}
          onRow={(p) => (p.originPlatform ? { onClick: () => setShared(p), style: { cursor: 'pointer' } } : {})}
          columns={[
            {
              title: t('主体', 'Producer'),
              dataIndex: 'subjectName',
              render: (n: string, p) => (
                <>
                  <span data-userdata>{n}</span> <SharedFrom origin={p.originPlatform} name={p.originPlatformName} />
                </>
              ),
            },
            { title: t('巡查人', 'Inspector'), dataIndex: 'inspectorName' },
            {
              title: t('结果', 'Result'),
              render: (_, p) => <Tag color={STATUS_COLORS[p.status]}>{label(lang, p.statusZh, p.statusEn)}</Tag>,
            },
            { title: t('问题', 'Findings'), dataIndex: 'findings' },
            { title: t('整改期限', 'Deadline'), dataIndex: 'rectifyDeadline' },
            {
              title: t('照片/签名', 'Photos / signature'),
              render: (_, p) => (
                <Attachments files={[...p.photos, ...(p.signature ? [p.signature] : [])]} height={36} />
              ),
            },
            {
              title: t('时间', 'When'),
              dataIndex: 'startedAt',
              render: (d: string) => new Date(d).toLocaleString('zh-CN'),
            },
            {
              title: '',
              render: (_, p) =>
                p.allowedActions.includes('followUp') && (
                  <Button size="small" onClick={() => setFollow(p)}>
                    {t('整改复查', 'Follow up')}
                  </Button>
                ),
            },
          ]}
        />
        <SharedRecordDrawer
          row={shared}
          resource="patrol"
          title={t('下级平台共享的巡查', 'Patrol shared from a lower platform')}
          onClose={() => setShared(null)}
          fields={
            shared
              ? [
                  [t('结果', 'Result'), label(lang, shared.statusZh, shared.statusEn)],
                  [t('问题', 'Findings'), shared.findings],
                  [t('签字人', 'Signer'), shared.signerName],
                  [t('整改期限', 'Deadline'), shared.rectifyDeadline],
                  [
                    t('检查项', 'Checklist'),
                    shared.checklist.map((c) => `${c.code} ${c.ok ? '✓' : '✗'} ${c.note ?? ''}`).join('；'),
                  ],
                ]
              : []
          }
        />
      </Card>
      <Modal
        open={planOpen}
        title={t('制定巡查计划', 'New patrol plan')}
        onCancel={() => setPlanOpen(false)}
        onOk={() => pf.submit()}
        confirmLoading={submitPlan.submitting}
        destroyOnHidden
      >
        <Form
          form={pf}
          layout="vertical"
          initialValues={{ year, period: 'quarter', periodNo: 1 }}
          onFinish={submitPlan.onFinish}
        >
          <Form.Item name="year" label={t('年份', 'Year')}>
            <InputNumber min={2000} max={2100} />
          </Form.Item>
          <Form.Item name="period" label={t('周期', 'Period')}>
            <Radio.Group
              options={(Object.keys(PERIOD) as PlanInput['period'][]).map((v) => ({
                value: v,
                label: label(lang, ...PERIOD[v]),
              }))}
            />
          </Form.Item>
          {period !== 'year' && (
            <Form.Item
              name="periodNo"
              label={period === 'quarter' ? t('季度（1–4）', 'Quarter') : t('月份（1–12）', 'Month')}
            >
              <InputNumber min={1} max={12} />
            </Form.Item>
          )}
          <Form.Item name="target" label={t('目标次数', 'Target')} rules={[{ required: true }]}>
            <InputNumber min={1} />
          </Form.Item>
        </Form>
      </Modal>
      <Modal
        open={!!follow}
        title={t('整改复查', 'Follow-up')}
        onCancel={() => setFollow(null)}
        onOk={() => ff.submit()}
        confirmLoading={submitFollowUp.submitting}
        destroyOnHidden
      >
        <Form form={ff} layout="vertical" initialValues={{ rectified: true }} onFinish={submitFollowUp.onFinish}>
          <Form.Item name="rectified" label={t('是否已整改', 'Rectified?')}>
            <Radio.Group
              options={[
                { value: true, label: t('已整改', 'Yes') },
                { value: false, label: t('未整改', 'No') },
              ]}
            />
          </Form.Item>
          <Form.Item name="note" label={t('复查情况', 'Note')} rules={[{ required: true }]}>
            <Input.TextArea rows={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
