import { App, Button, Card, Form, Input, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { ApiBody, ApiItem } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { usePagedTable } from '../../shared/usePagedTable';
import { useSubmit } from '../../shared/useSubmit';

type Unsigned = ApiItem<'/api/v1/agreements/unsigned'>;
type Signature = ApiItem<'/api/v1/agreements'>;
type TemplateInput = ApiBody<'post', '/api/v1/agreement-templates'>;
type ClauseKey = TemplateInput['clauses'][number]['key'];

/** The clauses seed 001 art. 10 requires in every agreement, with a starting text the county may edit. */
export const CLAUSES: readonly (readonly [ClauseKey, string, string, string])[] = [
  [
    'info_collection',
    '信息采集',
    'Information collection',
    '乙方按照国家追溯平台信息采集规范，如实填报产品名称、来源、数量等基本追溯信息，并及时上传。',
  ],
  [
    'info_transfer',
    '信息传递',
    'Information transfer',
    '乙方销售农产品时向下游传递追溯信息，附带追溯标识、承诺达标合格证或追溯凭证。',
  ],
  ['scan_trading', '扫码交易', 'Trading by scanning', '乙方交易时采取扫码方式确认收货和销售，入市时提供入市追溯凭证。'],
  [
    'truthfulness',
    '信息真实性承诺',
    'Promise of truthful information',
    '乙方承诺所填报的信息真实、准确、完整，对信息真实性负责。',
  ],
];

interface PublishForm {
  title: string;
  body: string;
  clause: Record<ClauseKey, string>;
}

/**
 * 追溯协议 The county template (versions, with the clauses seed 001 art. 10 requires), producers without a signed current
 * version (with reminders), and the producers' acceptances the county signs as the other party.
 */
export default function AgreementsPage() {
  const { t, lang } = useI18n();
  const { me, can } = useAuth();
  const { message } = App.useApp();
  const showError = useShowError();
  const county = me?.scope.length === 6 ? me.scope : undefined;
  const { data: versions } = useApiQuery(
    '/api/v1/agreement-templates',
    { params: { query: { county } } },
    { enabled: !!county },
  );
  const tpls = versions?.items;
  const { tableProps, error } = usePagedTable(
    '/api/v1/agreements/unsigned',
    {},
    {
      pagination: { showTotal: (n) => t(`共 ${n} 个`, `${n} in all`) },
    },
  );
  const [state, setState] = useState<'awaiting_county' | 'signed'>('awaiting_county');
  const signatures = usePagedTable(
    '/api/v1/agreements',
    { state },
    { pagination: { showTotal: (n) => t(`共 ${n} 份`, `${n} in all`) } },
  );
  const publish = useApiMutation('post', '/api/v1/agreement-templates', {
    invalidate: ['/api/v1/agreement-templates', '/api/v1/agreements/unsigned'],
  });
  const remind = useApiMutation('post', '/api/v1/agreements/remind', { invalidate: ['/api/v1/agreements/unsigned'] });
  const countersign = useApiMutation('post', '/api/v1/agreements/{id}/countersign', {
    invalidate: ['/api/v1/agreements'],
  });
  const sendReminders = (subjectIds?: string[]) =>
    remind
      .mutateAsync({ body: subjectIds ? { subjectIds } : {} })
      .then((r) => message.success(t(`已提醒 ${r.reminded} 个主体`, `${r.reminded} producers reminded`)))
      .catch(showError);
  const [form] = Form.useForm<PublishForm>();
  const submit = useSubmit(
    form,
    (v) =>
      publish.mutateAsync({
        body: {
          title: v.title,
          body: v.body,
          clauses: CLAUSES.map(([key]) => ({ key, text: v.clause?.[key] ?? '' })),
        },
      }),
    {
      successMessage: t('已发布新版本', 'Published'),
      onSuccess: () => form.resetFields(),
    },
  );
  const cur = tpls?.[0];
  const name = (x: { name: string; nameEn: string }) => (lang === 'en' ? x.nameEn : x.name);
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      {county && (
        <Card title={t('本县追溯协议', 'County agreement')}>
          {cur ? (
            <>
              <Typography.Title level={5}>
                <span data-userdata>{cur.title}</span>
                {t(`（第 ${cur.version} 版）`, ` (version ${cur.version})`)}
              </Typography.Title>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{cur.body}</Typography.Paragraph>
              {cur.clauses.map((c) => (
                <Typography.Paragraph key={c.key}>
                  <Typography.Text strong>
                    {name(c)}
                    {t('：', ': ')}
                  </Typography.Text>
                  {c.text}
                </Typography.Paragraph>
              ))}
              {cur.missingClauses.length > 0 && (
                <Typography.Paragraph type="danger" data-testid="agreement-incomplete">
                  {t(
                    `此版本缺少必备条款：${cur.missingClauses.map((c) => c.name).join('、')}，主体无法签订，请发布新版本`,
                    `This version lacks required clauses (${cur.missingClauses.map((c) => c.nameEn).join(', ')}): producers cannot accept it; publish a new version`,
                  )}
                </Typography.Paragraph>
              )}
            </>
          ) : (
            <Typography.Text type="secondary">{t('尚未发布', 'Not published yet')}</Typography.Text>
          )}
          {can('agreement.manage') && (
            <Form
              form={form}
              layout="vertical"
              onFinish={submit.onFinish}
              initialValues={{ clause: Object.fromEntries(CLAUSES.map(([k, , , text]) => [k, text])) }}
            >
              <Form.Item name="title" label={t('标题', 'Title')} rules={[{ required: true, min: 2 }]}>
                <Input />
              </Form.Item>
              <Form.Item
                name="body"
                label={t('协议正文（发布后为新版本，主体须重新签订）', 'Text (a new version; producers sign again)')}
                rules={[{ required: true, min: 10 }]}
              >
                <Input.TextArea rows={4} />
              </Form.Item>
              {CLAUSES.map(([key, zh, en]) => (
                <Form.Item
                  key={key}
                  name={['clause', key]}
                  label={`${t('必备条款', 'Required clause')}${t('：', ': ')}${t(zh, en)}`}
                  rules={[{ required: true, min: 4, message: t(`请填写“${zh}”条款`, `Write the clause "${en}"`) }]}
                >
                  <Input.TextArea rows={2} data-testid={`clause-${key}`} />
                </Form.Item>
              ))}
              <Button type="primary" htmlType="submit" loading={submit.submitting}>
                {t('发布新版本', 'Publish new version')}
              </Button>
            </Form>
          )}
        </Card>
      )}
      <Card
        title={t('未签订当前版本协议的主体', 'Producers without the current agreement')}
        extra={
          can('agreement.manage') && (
            <Button loading={remind.isPending} onClick={() => sendReminders()} data-testid="remind-all">
              {t('全部提醒', 'Remind all')}
            </Button>
          )
        }
      >
        <ErrorText error={error} />
        <Table<Unsigned>
          rowKey="subjectId"
          {...tableProps}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('主体', 'Producer'), dataIndex: 'name' },
            { title: t('区划', 'Division'), dataIndex: 'divisionName' },
            { title: t('联系', 'Contact'), render: (_, r) => `${r.contactName} ${r.contactPhone}` },
            { title: t('当前版本', 'Current'), dataIndex: 'currentVersion', render: (v) => v ?? t('未发布', 'none') },
            { title: t('已签版本', 'Signed'), dataIndex: 'signedVersion', render: (v) => v ?? '—' },
            {
              title: t('已提醒', 'Reminded'),
              render: (_, r) =>
                r.remindedAt
                  ? t(
                      `${r.reminders} 次，最近 ${r.remindedAt.slice(0, 10)}`,
                      `${r.reminders}×, last ${r.remindedAt.slice(0, 10)}`,
                    )
                  : '—',
            },
            ...(can('agreement.manage')
              ? [
                  {
                    title: t('操作', 'Actions'),
                    render: (_: unknown, r: Unsigned) =>
                      r.currentVersion !== null && (
                        <Button size="small" onClick={() => sendReminders([r.subjectId])}>
                          {t('提醒', 'Remind')}
                        </Button>
                      ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Card
        title={t('主体已签订的协议', 'Agreements accepted by producers')}
        extra={
          <Segmented
            value={state}
            onChange={(v) => setState(v as typeof state)}
            options={[
              { value: 'awaiting_county', label: t('待县级签署', 'Awaiting the county') },
              { value: 'signed', label: t('双方已签', 'Signed by both') },
            ]}
          />
        }
      >
        <ErrorText error={signatures.error} />
        <Table<Signature>
          rowKey="id"
          {...signatures.tableProps}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('主体', 'Producer'), dataIndex: 'subjectName' },
            { title: t('区划', 'Division'), dataIndex: 'divisionName' },
            {
              title: t('版本', 'Version'),
              render: (_, r) => (
                <>
                  {r.version} {!r.current && <Tag>{t('旧版', 'old')}</Tag>}
                </>
              ),
            },
            {
              title: t('主体签订', 'Producer accepted'),
              render: (_, r) => `${r.signerName ?? ''} ${r.signedAt.slice(0, 10)}`,
            },
            {
              title: t('同意的条款', 'Clauses accepted'),
              render: (_, r) => r.acceptedClauses.map((c) => <Tag key={c.key}>{name(c)}</Tag>),
            },
            {
              title: t('县级签署', 'County signature'),
              render: (_, r) =>
                r.countySignedAt
                  ? `${r.countyOrgName ?? ''} ${r.countySignerName ?? ''} ${r.countySignedAt.slice(0, 10)}`
                  : '—',
            },
            {
              title: t('状态', 'State'),
              render: (_, r) => (
                <Tag color={r.state === 'signed' ? 'green' : 'orange'}>
                  {lang === 'en' ? r.stateNameEn : r.stateName}
                </Tag>
              ),
            },
            {
              title: t('操作', 'Actions'),
              render: (_, r) =>
                r.allowedActions.includes('countersign') && (
                  <Button
                    size="small"
                    type="primary"
                    loading={countersign.isPending}
                    data-testid="countersign"
                    onClick={() =>
                      countersign
                        .mutateAsync({ params: { path: { id: r.id } } })
                        .then(() => message.success(t('已签署', 'Countersigned')))
                        .catch(showError)
                    }
                  >
                    {t('县级签署', 'Countersign')}
                  </Button>
                ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
