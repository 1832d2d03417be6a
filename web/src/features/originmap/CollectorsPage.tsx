import { App, Button, Card, DatePicker, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import type { ApiBody, ApiData } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { DivisionName } from '../../shared/ui/DivisionName';
import { ErrorText, errorMessage } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { useSubmit } from '../../shared/useSubmit';

type Grant = ApiData<'get', '/api/v1/origin/collectors'>[number];
type GrantBody = ApiBody<'post', '/api/v1/origin/collectors'>;
const LIST = '/api/v1/origin/collectors';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * 第三方采集授权 (seed 004 五(三)): the county authorises an approved service agency to collect the origin records
 * of the county, after a confidentiality agreement (保密协议) is signed; the grant can be revoked.
 */
export default function CollectorsPage() {
  const { me } = useAuth();
  const { t } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const { data, error, isFetching } = useApiQuery(LIST);
  const revoke = useApiMutation('post', '/api/v1/origin/collectors/{id}/revoke', { invalidate: [LIST] });
  const { lang } = useI18n();

  function confirmRevoke(g: Grant) {
    Modal.confirm({
      title: t(`撤销「${g.agencyName}」的采集授权？`, `Revoke the authorisation of “${g.agencyName}”?`),
      okButtonProps: { danger: true },
      onOk: () =>
        revoke
          .mutateAsync({ params: { path: { id: g.id } } })
          .then(() => message.success(t('已撤销', 'Revoked')))
          .catch((e) => message.error(errorMessage(e, lang))),
    });
  }

  return (
    <Card
      title={t('第三方采集授权', 'Third-party collectors')}
      extra={
        // a county, or a level above naming the county, grants; a township sees and cannot grant
        (me?.scope.length ?? 99) <= 6 && (
          <Button type="primary" onClick={() => setOpen(true)} data-testid="collector-grant">
            {t('授权机构', 'Authorise')}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary">
        {t(
          '县级可授权已审核的第三方服务机构采集本县产地溯源信息，须先签订保密协议；撤销后该机构不能再采集。',
          'A county may authorise an approved service agency to collect its origin records once a confidentiality agreement is signed; after revocation the agency can no longer collect.',
        )}
      </Typography.Paragraph>
      <ErrorText error={error} />
      <Table<Grant>
        rowKey="id"
        size="small"
        loading={isFetching}
        dataSource={data}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="collector-table"
        columns={[
          { title: t('机构', 'Agency'), dataIndex: 'agencyName' },
          { title: t('县', 'County'), dataIndex: 'countyCode', render: (c) => <DivisionName code={c} withCode /> },
          {
            title: t('保密协议', 'Agreement'),
            render: (_, g) => `${g.confidentialityNo} · ${g.confidentialitySignedOn}`,
          },
          { title: t('授权时间', 'Granted'), render: (_, g) => g.grantedAt.slice(0, 10) },
          {
            title: t('状态', 'Status'),
            render: (_, g) =>
              g.active ? (
                <Tag color="green">{t('有效', 'Active')}</Tag>
              ) : (
                <Tag>
                  {t(`已撤销 ${g.revokedAt?.slice(0, 10) ?? ''}`, `Revoked ${g.revokedAt?.slice(0, 10) ?? ''}`)}
                </Tag>
              ),
          },
          {
            title: t('操作', 'Actions'),
            render: (_, g) =>
              g.allowedActions.includes('revoke') && (
                <Button size="small" danger onClick={() => confirmRevoke(g)} data-testid="collector-revoke">
                  {t('撤销', 'Revoke')}
                </Button>
              ),
          },
        ]}
      />
      {open && <GrantModal onClose={() => setOpen(false)} />}
    </Card>
  );
}

interface GrantForm extends Omit<GrantBody, 'confidentialitySignedOn'> {
  confidentialitySignedOn: Dayjs;
}

function GrantModal({ onClose }: { onClose: () => void }) {
  const { me, can } = useAuth();
  const { t } = useI18n();
  const [form] = Form.useForm<GrantForm>();
  // Approved agencies the caller can see (its jurisdiction); an agency registered above it is entered by its id.
  const agencies = useApiQuery(
    '/api/v1/service-agencies',
    { params: { query: { status: 'approved', pageSize: 100 } } },
    { enabled: can('agency.read') },
  ).data?.items;
  const grant = useApiMutation('post', LIST, { invalidate: [LIST] });
  const submit = useSubmit(
    form,
    (v) =>
      grant.mutateAsync({
        body: {
          ...v,
          agencyOrgId: v.agencyOrgId.trim(),
          confidentialitySignedOn: v.confidentialitySignedOn.format('YYYY-MM-DD'),
        },
      }),
    { onSuccess: onClose, successMessage: t('已授权', 'Authorised'), inline: true },
  );
  const county = me?.scope.length === 6 ? me.scope : undefined;
  return (
    <Modal
      open
      title={t('授权第三方采集机构', 'Authorise a third-party collector')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: submit.submitting }}
      width={Math.min(520, typeof window === 'undefined' ? 520 : window.innerWidth - 16)}
    >
      <ErrorText error={submit.error} />
      <Form form={form} layout="vertical" onFinish={submit.onFinish} initialValues={{ countyCode: county }}>
        <Form.Item
          name="agencyOrgId"
          label={t('服务机构', 'Agency')}
          rules={[
            { required: true, message: t('请选择机构', 'Choose an agency') },
            { pattern: UUID, message: t('机构 ID 格式不对', 'Not an organisation id') },
          ]}
          extra={
            agencies?.length
              ? undefined
              : t(
                  '辖区内没有可选的已审核机构：可填写机构 ID（由上级或机构提供）',
                  'No approved agency in your jurisdiction: enter the agency’s id (from the agency or the level above)',
                )
          }
        >
          {agencies?.length ? (
            <Select
              showSearch
              optionFilterProp="label"
              placeholder={t('选择已审核的服务机构', 'Choose an approved agency')}
              options={agencies.map((a) => ({ value: a.orgId, label: a.name }))}
              data-testid="collector-agency"
            />
          ) : (
            <Input placeholder="00000000-0000-0000-0000-000000000000" data-testid="collector-agency-id" />
          )}
        </Form.Item>
        <Form.Item
          name="countyCode"
          label={t('授权县（区）', 'County')}
          rules={[
            { required: true, message: t('请选择县（区）', 'Choose the county') },
            { len: 6, message: t('须为县级行政区划', 'Must be a county') },
          ]}
        >
          <DivisionPicker
            root={me?.scope}
            rootName={me?.scopeName}
            allowRoot={county !== undefined}
            maxLevel={3}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Space wrap>
          <Form.Item
            name="confidentialityNo"
            label={t('保密协议编号', 'Agreement number')}
            rules={[{ required: true, min: 2, max: 60, message: t('2–60 个字符', '2–60 characters') }]}
          >
            <Input style={{ width: 200 }} />
          </Form.Item>
          <Form.Item
            name="confidentialitySignedOn"
            label={t('签订日期', 'Signed on')}
            rules={[{ required: true, message: t('必填', 'Required') }]}
          >
            <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
