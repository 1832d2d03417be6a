import { Button, Card, Drawer, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { type ApiBody, type ApiData, type ApiItem, download } from '../../shared/api';
import { escapeHtml } from '../../shared/escape';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { usePagedTable } from '../../shared/usePagedTable';
import { useSubmit } from '../../shared/useSubmit';
import { backdropOf, GeoChart } from './GeoChart';

type Summary = ApiItem<'/api/v1/incidents'>;
type Incident = ApiData<'get', '/api/v1/incidents/{id}'>;

/** 应急指挥调度: incidents, opened from a trace code; the workspace shows the forward trace, tasks and the report. */
export default function IncidentsPage() {
  const { t, lang } = useI18n();
  const l = (x: { zh: string; en: string }) => (lang === 'en' ? x.en : x.zh);
  const { tableProps, error } = usePagedTable('/api/v1/incidents', {});
  const [open, setOpen] = useState<string | null>(
    () =>
      location.pathname.match(/\/incidents\/([0-9a-f-]{36})/)?.[1] ?? new URLSearchParams(location.search).get('id'),
  );
  const [form] = Form.useForm<ApiBody<'post', '/api/v1/incidents'>>();
  const create = useApiMutation('post', '/api/v1/incidents', { invalidate: ['/api/v1/incidents'] });
  const submit = useSubmit(form, (body) => create.mutateAsync({ body }), {
    successMessage: t('事件已启动', 'Incident opened'),
    onSuccess: (i: Incident) => {
      form.resetFields();
      setOpen(i.id);
    },
  });
  return (
    <Card title={t('应急指挥调度', 'Incident command')}>
      <Form form={form} layout="inline" onFinish={submit.onFinish} initialValues={{ kind: 'failed_sample' }}>
        <Form.Item name="title" label={t('事件名称', 'Title')} rules={[{ required: true }]}>
          <Input data-testid="inc-title" />
        </Form.Item>
        <Form.Item name="kind" label={t('类型', 'Kind')}>
          <Select
            style={{ width: 140 }}
            options={[
              { value: 'failed_sample', label: t('抽检不合格', 'Failed sample') },
              { value: 'complaint', label: t('投诉举报', 'Complaint') },
              { value: 'counterfeit', label: t('疑似假冒', 'Counterfeit') },
              { value: 'other', label: t('其他', 'Other') },
            ]}
          />
        </Form.Item>
        <Form.Item name="traceCode" label={t('追溯码', 'Trace code')}>
          <Input data-testid="inc-code" />
        </Form.Item>
        <Form.Item name="description" label={t('描述', 'Description')} rules={[{ required: true }]}>
          <Input data-testid="inc-desc" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={submit.submitting} data-testid="inc-open">
          {t('启动事件', 'Open incident')}
        </Button>
      </Form>
      <ErrorText error={error} />
      <Table<Summary>
        style={{ marginTop: 16 }}
        rowKey="id"
        scroll={{ x: 'max-content' }}
        {...tableProps}
        onRow={(r) => ({ onClick: () => setOpen(r.id) })}
        columns={[
          { title: t('编号', 'Number'), dataIndex: 'number', render: (v: string) => <a>{v}</a> },
          { title: t('事件', 'Incident'), dataIndex: 'title' },
          { title: t('类型', 'Kind'), render: (_, r) => l(r.kindLabel) },
          { title: t('任务完成', 'Tasks done'), render: (_, r) => `${r.tasksDone}/${r.tasksTotal}` },
          { title: t('状态', 'Status'), render: (_, r) => <Tag>{l(r.statusLabel)}</Tag> },
        ]}
      />
      {open && <Workspace id={open} onClose={() => setOpen(null)} />}
    </Card>
  );
}

function Workspace({ id, onClose }: { id: string; onClose: () => void }) {
  const { t, lang } = useI18n();
  const l = (x: { zh: string; en: string }) => (lang === 'en' ? x.en : x.zh);
  const showError = useShowError();
  const q = useApiQuery('/api/v1/incidents/{id}', { params: { path: { id } } });
  const i = q.data;
  const inv = ['/api/v1/incidents', '/api/v1/incidents/{id}'] as const;
  const dispatch = useApiMutation('post', '/api/v1/incidents/{id}/tasks', { invalidate: [...inv] });
  const act = useApiMutation('post', '/api/v1/incident-tasks/{id}/actions', { invalidate: [...inv] });
  const close = useApiMutation('post', '/api/v1/incidents/{id}/close', { invalidate: [...inv] });
  const orgs = useApiQuery('/api/v1/organisations', { params: { query: { pageSize: 200 } } });
  const [form] = Form.useForm<ApiBody<'post', '/api/v1/incidents/{id}/tasks'>>();
  const send = useSubmit(form, (body) => dispatch.mutateAsync({ params: { path: { id } }, body }), {
    successMessage: t('任务已派发', 'Task dispatched'),
    onSuccess: () => form.resetFields(),
  });
  const [summary, setSummary] = useState('');
  /** The task being completed and the result typed for it (完成情况). */
  const [completing, setCompleting] = useState<{ id: string; result: string } | null>(null);
  // The affected batches on the offline boundaries of the smallest bundled map that holds them.
  const map = useMemo(() => {
    const points = (i?.affected ?? []).filter((a) => a.longitude !== null && a.latitude !== null);
    return {
      backdrop: backdropOf(points.map((a) => a.divisionCode)),
      points: points.map((a) => [a.longitude as number, a.latitude as number]),
      series: [
        {
          type: 'scatter',
          symbolSize: 12,
          itemStyle: { color: '#cf1322' },
          tooltip: { formatter: (p: { data: { name: string } }) => escapeHtml(p.data.name) },
          data: points.map((a) => ({
            name: `${a.subjectName} ${a.batchNo} ${a.divisionName}`,
            value: [a.longitude, a.latitude],
          })),
        },
      ],
    };
  }, [i]);
  return (
    <Drawer open width={Math.min(960, window.innerWidth)} onClose={onClose} title={i ? `${i.number} ${i.title}` : ''}>
      <ErrorText error={q.error} />
      {i && (
        <Space direction="vertical" style={{ width: '100%' }}>
          <p>
            {l(i.kindLabel)} · {l(i.statusLabel)} · {i.productName ?? ''} · {i.description}
          </p>
          <Button
            onClick={() =>
              download('/api/v1/incidents/{id}/report.pdf', { params: { path: { id } } }, 'incident.pdf').catch(
                showError,
              )
            }
          >
            {t('事件报告 PDF', 'Incident report (PDF)')}
          </Button>
          <Card size="small" title={t('涉及批次与持有人（地图）', 'Affected batches and holders (map)')}>
            {map.points.length > 0 && <GeoChart height={280} testId="incident-map" {...map} />}
            <Table
              size="small"
              rowKey="batchId"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={i.affected}
              columns={[
                { title: t('层级', 'Depth'), dataIndex: 'depth' },
                { title: t('批次', 'Batch'), dataIndex: 'batchNo' },
                { title: t('持有人', 'Holder'), dataIndex: 'subjectName' },
                { title: t('地区', 'Region'), dataIndex: 'divisionName' },
                { title: t('库存', 'Stock'), render: (_, a) => `${a.stock}${a.unit}` },
              ]}
            />
          </Card>
          <Card size="small" title={t('调度任务', 'Tasks')}>
            <Table
              size="small"
              rowKey="id"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={i.tasks}
              columns={[
                { title: t('任务', 'Task'), render: (_, x) => l(x.kindLabel) },
                { title: t('机构', 'Agency'), dataIndex: 'orgName' },
                {
                  title: t('期限', 'Deadline'),
                  render: (_, x) => <span style={{ color: x.overdue ? 'red' : undefined }}>{x.deadline}</span>,
                },
                { title: t('状态', 'Status'), render: (_, x) => l(x.statusLabel) },
                { title: t('结果', 'Result'), dataIndex: 'result' },
                {
                  title: t('操作', 'Actions'),
                  render: (_, x) => (
                    <Space>
                      {x.allowedActions.map((a) => (
                        <Button
                          key={a}
                          size="large"
                          data-testid={`task-${a}`}
                          onClick={() =>
                            a === 'complete'
                              ? setCompleting({ id: x.id, result: '' })
                              : act
                                  .mutateAsync({ params: { path: { id: x.id } }, body: { action: a } })
                                  .catch(showError)
                          }
                        >
                          {a === 'accept' ? t('接收', 'Accept') : t('完成', 'Complete')}
                        </Button>
                      ))}
                    </Space>
                  ),
                },
              ]}
            />
            {i.allowedActions.includes('dispatch') && (
              <Form
                form={form}
                layout="inline"
                onFinish={send.onFinish}
                initialValues={{ kind: 'sampling' }}
                style={{ marginTop: 8 }}
              >
                <Form.Item name="kind">
                  <Select
                    style={{ width: 120 }}
                    options={[
                      { value: 'sampling', label: t('抽样检测', 'Sampling') },
                      { value: 'sealing', label: t('查封扣押', 'Sealing') },
                      { value: 'recall_notice', label: t('召回通知', 'Recall notice') },
                      { value: 'investigation', label: t('调查核实', 'Investigation') },
                      { value: 'other', label: t('其他', 'Other') },
                    ]}
                  />
                </Form.Item>
                <Form.Item name="orgId" rules={[{ required: true }]}>
                  <Select
                    style={{ width: 200 }}
                    data-testid="task-org"
                    placeholder={t('受派机构', 'Agency')}
                    options={(orgs.data?.items ?? [])
                      .filter((o) => ['supervision', 'testing', 'enforcement'].includes(o.kind))
                      .map((o) => ({ value: o.id, label: o.name }))}
                  />
                </Form.Item>
                <Form.Item name="deadline" rules={[{ required: true }]}>
                  <Input type="date" data-testid="task-deadline" />
                </Form.Item>
                <Form.Item name="instructions" rules={[{ required: true }]}>
                  <Input placeholder={t('任务要求', 'Instructions')} data-testid="task-instructions" />
                </Form.Item>
                <Button htmlType="submit" type="primary" loading={send.submitting} data-testid="task-dispatch">
                  {t('派发', 'Dispatch')}
                </Button>
              </Form>
            )}
          </Card>
          {i.allowedActions.includes('close') && (
            <Space.Compact style={{ width: '100%' }}>
              <Input
                value={summary}
                onChange={(e) => setSummary(e.target.value)}
                placeholder={t('处置总结', 'Summary')}
              />
              <Button
                onClick={() => close.mutateAsync({ params: { path: { id } }, body: { summary } }).catch(showError)}
              >
                {t('结束事件', 'Close incident')}
              </Button>
            </Space.Compact>
          )}
        </Space>
      )}
      <Modal
        open={completing !== null}
        title={t('完成任务', 'Complete the task')}
        okText={t('完成', 'Complete')}
        cancelText={t('取消', 'Cancel')}
        okButtonProps={{ disabled: !completing?.result.trim(), loading: act.isPending }}
        onCancel={() => setCompleting(null)}
        onOk={() =>
          completing &&
          act
            .mutateAsync({
              params: { path: { id: completing.id } },
              body: { action: 'complete', result: completing.result.trim() },
            })
            .then(() => setCompleting(null))
            .catch(showError)
        }
      >
        <Input.TextArea
          rows={4}
          data-testid="incident-task-result"
          placeholder={t('完成情况（如抽样数量、查封结果）', 'Result (e.g. samples taken, goods sealed)')}
          value={completing?.result ?? ''}
          onChange={(e) => setCompleting((c) => c && { ...c, result: e.target.value })}
        />
      </Modal>
    </Drawer>
  );
}
