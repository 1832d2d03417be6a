import { App, Button, Card, DatePicker, Descriptions, Form, Input, Select, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import type { ApiData } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { DivisionName } from '../../shared/ui/DivisionName';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { useSubmit } from '../../shared/useSubmit';
import { PROBLEMS, type ProblemKey, pick } from './api';

/** Today in China (the server checks the deadline against the China date, whatever the device's zone). */
const chinaToday = () => new Date().toLocaleDateString('sv', { timeZone: 'Asia/Shanghai' });

type Item = ApiData<'get', '/api/v1/online-patrols/{id}'>['items'][number];

/** 网上巡检详情：逐条标记样本问题，下发整改通知（期限），跳转整改通知。 */
export default function OnlinePatrolPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const showError = useShowError();
  const path = { id };
  const p = useApiQuery('/api/v1/online-patrols/{id}', { params: { path } }, { enabled: !!id });
  const mark = useApiMutation('post', '/api/v1/online-patrols/{id}/marks', {
    invalidate: ['/api/v1/online-patrols/{id}', '/api/v1/online-patrols'],
  });
  const issue = useApiMutation('post', '/api/v1/online-patrols/{id}/notices', {
    invalidate: ['/api/v1/rectification-notices'],
  });
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [form] = Form.useForm<{ text: string; deadline: Dayjs; orgId?: string }>();
  const submit = useSubmit(
    form,
    (v) =>
      issue.mutateAsync({
        params: { path },
        body: { text: v.text, deadline: v.deadline.format('YYYY-MM-DD'), orgId: v.orgId || undefined },
      }),
    {
      successMessage: t('整改通知已下发', 'Rectification notice sent'),
      onSuccess: () => form.resetFields(),
    },
  );
  const x = p.data;
  if (!x)
    return (
      <Card loading={p.isLoading}>
        <ErrorText error={p.error} />
      </Card>
    );
  const doMark = (item: Item, problem: ProblemKey | null) =>
    mark
      .mutateAsync({
        params: { path },
        body: { recordId: item.recordId, problem, note: (notes[item.recordId] ?? item.note) || null },
      })
      .then(() => message.success(t('已标记', 'Marked')))
      .catch(showError);
  const flagged = x.items.filter((i) => i.problem).length;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={
          <>
            {t('网上巡检', 'Online patrol')} · <DivisionName code={x.targetDivision} />
          </>
        }
        extra={<Link to="/evaluation/notices">{t('整改通知', 'Rectification notices')}</Link>}
      >
        <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label={t('抽查区划', 'Division')}>
            <DivisionName code={x.targetDivision} withCode />
          </Descriptions.Item>
          <Descriptions.Item label={t('样本', 'Sample')}>
            {x.sampleSize} / {x.poolSize}
          </Descriptions.Item>
          <Descriptions.Item label={t('随机种子', 'Seed')}>{x.seed}</Descriptions.Item>
          <Descriptions.Item label={t('算法', 'Algorithm')}>{x.algorithm}</Descriptions.Item>
          <Descriptions.Item label={t('发起时间', 'Created')}>
            {x.createdAt.slice(0, 16).replace('T', ' ')}
          </Descriptions.Item>
          <Descriptions.Item label={t('已标记问题', 'Flagged')}>{flagged}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card title={t('样本记录', 'Sampled records')}>
        <Table<Item>
          rowKey="recordId"
          size="small"
          dataSource={x.items}
          pagination={false}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('类别', 'Resource'),
              key: 'resource',
              render: (_, i) => pick(lang, i.resourceLabel.zh, i.resourceLabel.en),
            },
            { title: t('记录', 'Record'), dataIndex: 'label' },
            {
              title: t('问题', 'Problem'),
              render: (_, i) => (
                <Select<ProblemKey | ''>
                  size="small"
                  style={{ minWidth: 150 }}
                  aria-label={t('问题', 'Problem')}
                  data-testid={`mark-${i.recordId}`}
                  value={(i.problem as ProblemKey | null) ?? ''}
                  loading={mark.isPending}
                  onChange={(v) => doMark(i, v || null)}
                  options={[
                    { value: '', label: t('无问题', 'No problem') },
                    ...Object.entries(PROBLEMS).map(([k, l]) => ({
                      value: k as ProblemKey,
                      label: lang === 'en' ? l.en : l.zh,
                    })),
                  ]}
                />
              ),
            },
            {
              title: t('备注', 'Note'),
              render: (_, i) => (
                <Input
                  size="small"
                  maxLength={500}
                  style={{ minWidth: 140 }}
                  defaultValue={i.note ?? ''}
                  onChange={(e) => setNotes((n) => ({ ...n, [i.recordId]: e.target.value }))}
                  onBlur={(e) => i.problem && (e.target.value || null) !== i.note && doMark(i, i.problem as ProblemKey)}
                />
              ),
            },
            {
              title: '',
              render: (_, i) => i.problem && <Tag color="red">{t('有问题', 'Flagged')}</Tag>,
            },
          ]}
        />
      </Card>
      <Card title={t('下发整改通知', 'Send a rectification notice')}>
        <Form form={form} layout="vertical" onFinish={submit.onFinish} style={{ maxWidth: 560 }}>
          <Form.Item
            name="text"
            label={t('整改要求', 'What to rectify')}
            rules={[{ required: true, min: 2, message: t('请填写整改要求', 'Say what to rectify') }]}
          >
            <Input.TextArea rows={3} maxLength={2000} />
          </Form.Item>
          <Form.Item
            name="deadline"
            label={t('整改期限', 'Deadline')}
            rules={[{ required: true, message: t('请选择整改期限', 'Pick a deadline') }]}
          >
            <DatePicker disabledDate={(d) => d.format('YYYY-MM-DD') < chinaToday()} style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="orgId"
            label={t(
              '责任单位 ID（可留空：第一条问题记录的单位）',
              'Responsible org ID (empty: that of the first flagged record)',
            )}
          >
            <Input maxLength={36} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={submit.submitting}>
            {t('下发', 'Send')}
          </Button>
        </Form>
      </Card>
    </Space>
  );
}
