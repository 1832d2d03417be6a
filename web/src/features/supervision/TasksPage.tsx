import { Alert, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Select, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { type ApiBody, type ApiData, http } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionName } from '../../shared/ui/DivisionName';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { usePagedTable } from '../../shared/usePagedTable';
import { useSubmit } from '../../shared/useSubmit';
import { label, type MonTask } from './api';

type TaskInput = ApiBody<'post', '/api/v1/monitoring-tasks'>;
type Quotas = ApiData<'get', '/api/v1/monitoring-quotas'>;
const splitProducts = (text: unknown) =>
  String(text ?? '')
    .split(/[,，、]/)
    .map((s) => s.trim())
    .filter(Boolean);
type Kind = TaskInput['kind'];
const KINDS: Record<Kind, [string, string]> = {
  routine: ['例行监测', 'Routine'],
  special: ['专项监测', 'Special'],
  supervisory: ['监督抽查', 'Supervisory'],
  retest: ['复检', 'Re-test'],
  emergency: ['应急监测', 'Emergency'],
};
interface TaskForm {
  title: string;
  kind: Kind;
  products: string;
  items: string;
  /** The RangePicker's dates (dayjs). */
  range: [{ format: (f: string) => string }, { format: (f: string) => string }];
  lab: string;
  quantity: number;
}

/** 监测任务: issue a task with test items and assign it to a testing organisation. */
export default function TasksPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { tableProps, error } = usePagedTable('/api/v1/monitoring-tasks', {});
  const labs = useApiQuery(
    '/api/v1/organisations',
    { params: { query: { kind: 'testing', pageSize: 200 } } },
    { enabled: can('org.read') },
  );
  const create = useApiMutation('post', '/api/v1/monitoring-tasks', { invalidate: ['/api/v1/monitoring-tasks'] });
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<TaskForm>();
  const submit = useSubmit(
    form,
    (v) => {
      const [start, end] = v.range.map((d) => d.format('YYYY-MM-DD'));
      const items = String(v.items)
        .split('\n')
        .map((l) => l.split(/[,，]/).map((s) => s.trim()))
        .filter((p) => p[0])
        .map(([item, unit, limit, standard]) => ({
          item,
          unit: unit || 'mg/kg',
          limit: limit ? Number(limit) : null,
          standard: standard || 'GB 2763-2021',
        }));
      const lab = labs.data?.items.find((l) => l.id === v.lab);
      return create.mutateAsync({
        body: {
          title: v.title,
          kind: v.kind,
          products: splitProducts(v.products),
          items,
          startDate: start,
          endDate: end,
          assignments: [
            { testingOrgId: v.lab, divisionCode: lab?.divisionCode ?? '', quantity: v.quantity, deadline: end },
          ],
        },
      });
    },
    {
      successMessage: t('任务已下达，检测机构已收到通知', 'Task issued; the lab is notified'),
      onSuccess: () => setOpen(false),
    },
  );
  return (
    <Card
      title={t('监测任务', 'Monitoring tasks')}
      extra={
        can('monitoring.manage') && (
          <Button type="primary" size="large" onClick={() => setOpen(true)}>
            {t('下达任务', 'New task')}
          </Button>
        )
      }
    >
      <ErrorText error={error} />
      <Table<MonTask>
        rowKey="id"
        size="small"
        {...tableProps}
        scroll={{ x: 'max-content' }}
        expandable={{ expandedRowRender: (x) => <TaskAssignments id={x.id} /> }}
        columns={[
          { title: t('编号', 'Code'), dataIndex: 'code' },
          { title: t('名称', 'Title'), dataIndex: 'title' },
          { title: t('类型', 'Kind'), render: (_, x) => <Tag>{label(lang, x.kindZh, x.kindEn)}</Tag> },
          { title: t('产品', 'Products'), dataIndex: 'products', render: (p: string[]) => p.join('、') },
          {
            title: t('检测项目', 'Items'),
            dataIndex: 'items',
            render: (i: MonTask['items']) => i.map((x) => x.item).join('、'),
          },
          { title: t('期限', 'Period'), render: (_, x) => `${x.startDate} ~ ${x.endDate}` },
          { title: t('状态', 'Status'), render: (_, x) => label(lang, x.statusZh, x.statusEn) },
        ]}
      />
      <Modal
        open={open}
        title={t('下达监测任务', 'New monitoring task')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={submit.submitting}
        destroyOnHidden
        width={640}
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ kind: 'routine', quantity: 20, items: '毒死蜱,mg/kg,0.02,GB 2763-2021' }}
          onFinish={submit.onFinish}
        >
          <Form.Item name="title" label={t('名称', 'Title')} rules={[{ required: true, min: 2 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="kind" label={t('类型', 'Kind')}>
            <Select
              options={(Object.keys(KINDS) as Kind[]).map((v) => ({ value: v, label: label(lang, ...KINDS[v]) }))}
            />
          </Form.Item>
          <Form.Item name="products" label={t('产品（逗号分隔）', 'Products')} rules={[{ required: true }]}>
            <Input placeholder="豇豆,韭菜" />
          </Form.Item>
          <Form.Item
            name="items"
            label={t('检测项目（每行：项目,单位,限量,标准）', 'Items (one per line: item,unit,limit,standard)')}
            rules={[{ required: true }]}
          >
            <Input.TextArea rows={3} />
          </Form.Item>
          <Form.Item name="range" label={t('起止日期', 'Period')} rules={[{ required: true }]}>
            <DatePicker.RangePicker />
          </Form.Item>
          <Form.Item name="lab" label={t('检测机构', 'Testing organisation')} rules={[{ required: true }]}>
            <Select options={labs.data?.items.map((l) => ({ value: l.id, label: l.name }))} />
          </Form.Item>
          <Form.Item name="quantity" label={t('样品数量', 'Samples')}>
            <InputNumber min={1} />
          </Form.Item>
          <QuotaSuggestion form={form} />
        </Form>
      </Modal>
    </Card>
  );
}

/**
 * 按风险分配: the task's sample quantity split across the child regions × products by the shrunk failure rate of
 * each cell this season (a suggestion from `suggestMonitoringQuotas`; nothing is saved).
 */
function QuotaSuggestion({ form }: { form: ReturnType<typeof Form.useForm<TaskForm>>[0] }) {
  const { t, lang } = useI18n();
  const [answer, setAnswer] = useState<Quotas>();
  const [error, setError] = useState<unknown>();
  const [loading, setLoading] = useState(false);
  const suggest = async () => {
    setLoading(true);
    setError(undefined);
    try {
      const products = splitProducts(form.getFieldValue('products'));
      const total = Number(form.getFieldValue('quantity')) || 1;
      setAnswer(
        await http.get('/api/v1/monitoring-quotas', {
          params: { query: { total, ...(products.length ? { products } : {}) } },
        }),
      );
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };
  return (
    <>
      <Button onClick={suggest} loading={loading} data-testid="quota-suggest">
        {t('按风险分配样品数（建议）', 'Split the samples by risk (suggestion)')}
      </Button>
      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
        {t(
          '按各地区、各产品本季的不合格率（近三年抽检，向上级地区收缩估计）分配样品数，每格至少 1 个；仅供参考，不保存。',
          'Splits the samples across regions × products by this season’s failure rate (three years of tests, shrunk toward the parent region); at least one each; a suggestion only, nothing is saved.',
        )}
      </Typography.Paragraph>
      <ErrorText error={error} />
      {answer && (
        <>
          <Alert
            type="info"
            showIcon
            message={`${answer.divisionName} · ${lang === 'en' ? answer.seasonLabel.en : answer.seasonLabel.zh} · ${t('共', 'total')} ${answer.total}`}
          />
          <Table
            size="small"
            rowKey={(r) => `${r.region}|${r.product}`}
            pagination={false}
            scroll={{ x: 'max-content', y: 240 }}
            dataSource={answer.rows}
            columns={[
              { title: t('地区', 'Region'), dataIndex: 'regionName' },
              { title: t('产品', 'Product'), dataIndex: 'product' },
              {
                title: t('抽检 / 不合格', 'Tested / failed'),
                render: (_, r) => `${r.samples} / ${r.failed}`,
              },
              { title: t('估计不合格率%', 'Estimated failure %'), dataIndex: 'rate' },
              { title: t('建议样品数', 'Suggested samples'), dataIndex: 'quota' },
            ]}
          />
        </>
      )}
    </>
  );
}

/** 任务详情：各检测机构的分配、期限与进度 (loaded when the row is opened). */
function TaskAssignments({ id }: { id: string }) {
  const { t } = useI18n();
  const task = useApiQuery('/api/v1/monitoring-tasks/{id}', { params: { path: { id } } });
  if (task.error) return <ErrorText error={task.error} />;
  return (
    <Table
      rowKey="id"
      size="small"
      loading={task.isLoading}
      pagination={false}
      scroll={{ x: 'max-content' }}
      dataSource={task.data?.assignments}
      columns={[
        { title: t('检测机构', 'Lab'), dataIndex: 'testingOrgName' },
        { title: t('区划', 'Division'), dataIndex: 'divisionCode', render: (c) => <DivisionName code={c} /> },
        { title: t('期限', 'Deadline'), dataIndex: 'deadline' },
        { title: t('抽样 / 计划', 'Sampled / planned'), render: (_, a) => `${a.sampled} / ${a.quantity}` },
        { title: t('已检', 'Tested'), dataIndex: 'tested' },
        {
          title: t('不合格', 'Failed'),
          render: (_, a) => (a.failed ? <Tag color="red">{a.failed}</Tag> : a.failed),
        },
      ]}
    />
  );
}
