import { App, Button, Card, Form, InputNumber, Modal, Select, Space, Switch, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { ApiData } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { useSubmit } from '../../shared/useSubmit';
import { EvaluateNowButton, LEVELS } from './warningParts';

type Rule = ApiData<'get', '/api/v1/warning-rules'>[number];
type Edit = { level: Rule['level']; params: Record<string, number> };

/** 预警规则（数据化）：启用/停用、责任层级、阈值参数，及立即评估。 */
export default function WarningRulesPage() {
  const { t, lang } = useI18n();
  const l = (x: { zh: string; en: string }) => (lang === 'en' ? x.en : x.zh);
  const { can } = useAuth();
  const { message } = App.useApp();
  const showError = useShowError();
  const manage = can('warning.manageRules');
  const rules = useApiQuery('/api/v1/warning-rules');
  const update = useApiMutation('patch', '/api/v1/warning-rules/{id}', { invalidate: ['/api/v1/warning-rules'] });
  const [editing, setEditing] = useState<Rule>();
  const [form] = Form.useForm<Edit>();
  const submit = useSubmit(form, (v) => update.mutateAsync({ params: { path: { id: editing?.id ?? '' } }, body: v }), {
    successMessage: t('已保存', 'Saved'),
    onSuccess: () => setEditing(undefined),
  });
  const toggle = (r: Rule, enabled: boolean) =>
    update
      .mutateAsync({ params: { path: { id: r.id } }, body: { enabled } })
      .then(() => message.success(enabled ? t('已启用', 'Enabled') : t('已停用', 'Disabled')))
      .catch(showError);
  return (
    <Card
      title={t('预警规则', 'Warning rules')}
      extra={
        <Space wrap>
          <Link to="/warnings">{t('预警列表', 'Warnings')}</Link>
          {manage && <EvaluateNowButton />}
        </Space>
      }
    >
      <ErrorText error={rules.error} />
      <Table<Rule>
        rowKey="id"
        size="small"
        loading={rules.isFetching}
        dataSource={rules.data}
        pagination={false}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('规则', 'Rule'), render: (_, r) => l(r.name) },
          { title: t('责任层级', 'Level'), render: (_, r) => l(LEVELS[r.level]) },
          {
            title: t('参数', 'Parameters'),
            render: (_, r) => (
              <Space wrap size={4}>
                {Object.entries(r.params).map(([k, v]) => (
                  <Tag key={k}>
                    {r.paramLabels[k] ? l(r.paramLabels[k]) : k}: {v}
                  </Tag>
                ))}
              </Space>
            ),
          },
          {
            title: t('启用', 'Enabled'),
            render: (_, r) => (
              <Switch
                checked={r.enabled}
                disabled={!manage}
                loading={update.isPending}
                aria-label={t('启用', 'Enabled')}
                onChange={(v) => toggle(r, v)}
              />
            ),
          },
          { title: t('更新时间', 'Updated'), render: (_, r) => r.updatedAt.slice(0, 16).replace('T', ' ') },
          {
            title: t('操作', 'Actions'),
            render: (_, r) =>
              manage && (
                <Button
                  size="small"
                  onClick={() => {
                    setEditing(r);
                    form.setFieldsValue({ level: r.level, params: r.params });
                  }}
                >
                  {t('编辑', 'Edit')}
                </Button>
              ),
          },
        ]}
      />
      <Modal
        open={!!editing}
        title={editing && `${t('编辑规则', 'Edit rule')} · ${l(editing.name)}`}
        okText={t('保存', 'Save')}
        okButtonProps={{ loading: submit.submitting }}
        onOk={() => form.submit()}
        onCancel={() => setEditing(undefined)}
        forceRender
      >
        <Form form={form} layout="vertical" onFinish={submit.onFinish}>
          <Form.Item name="level" label={t('责任层级', 'Responsible level')} rules={[{ required: true }]}>
            <Select options={Object.entries(LEVELS).map(([value, x]) => ({ value, label: l(x) }))} />
          </Form.Item>
          {editing &&
            Object.keys(editing.params).map((k) => (
              <Form.Item
                key={k}
                name={['params', k]}
                label={editing.paramLabels[k] ? l(editing.paramLabels[k]) : k}
                rules={[{ required: true, message: t('请填写', 'Required') }]}
              >
                <InputNumber style={{ width: '100%' }} />
              </Form.Item>
            ))}
        </Form>
      </Modal>
    </Card>
  );
}
