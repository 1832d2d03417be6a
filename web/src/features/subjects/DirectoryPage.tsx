import { Button, Card, Form, Input, Modal, Segmented, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { type ApiBody, type ApiItem, download } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { usePagedTable } from '../../shared/usePagedTable';
import { useSubmit } from '../../shared/useSubmit';
import { useSubjectLabels } from './labels';

type Entry = ApiItem<'/api/v1/directory'>;
type EntryInput = ApiBody<'post', '/api/v1/directory'>;
type Registered = 'false' | 'true' | 'all';

/** Forms of the census (the registration forms plus the rural broker): Chinese, English. */
const FORMS: Record<Entry['orgForm'], [string, string]> = {
  enterprise: ['企业', 'Enterprise'],
  cooperative: ['合作社', 'Cooperative'],
  family_farm: ['家庭农场', 'Family farm'],
  individual: ['农户', 'Farmer'],
  broker: ['农村经纪人', 'Broker'],
};

const EDITABLE = [
  'divisionCode',
  'name',
  'orgForm',
  'industries',
  'certNo',
  'contactName',
  'contactPhone',
  'products',
  'scale',
] as const;
/** The form's values of an entry (nulls left out: antd inputs take undefined). */
const toForm = (e: Entry): Partial<EntryInput> =>
  Object.fromEntries(EDITABLE.filter((k) => e[k] !== null).map((k) => [k, e[k]])) as Partial<EntryInput>;
/** A cleared optional text field clears the stored value (PATCH: absent = unchanged, null = cleared). */
const blanksToNull = (v: EntryInput): EntryInput =>
  Object.fromEntries(
    Object.entries(v).map(([k, x]) => [k, x === '' || (x === undefined && k !== 'industries') ? null : x]),
  ) as EntryInput;

/** 监管名录 Census of producers by township staff; "not registered" is the to-do list. */
export default function DirectoryPage() {
  const { t, lang } = useI18n();
  const { me, can } = useAuth();
  const { options } = useSubjectLabels();
  const showError = useShowError();
  const [registered, setRegistered] = useState<Registered>('false');
  const [within, setWithin] = useState<string>();
  const [open, setOpen] = useState(false);
  /** The entry being edited (the same form as a new entry). */
  const [editing, setEditing] = useState<Entry>();
  const [form] = Form.useForm<EntryInput>();
  const filter = { registered: registered === 'all' ? undefined : registered === 'true', within };
  const { tableProps, error } = usePagedTable('/api/v1/directory', filter);
  const { data: stats } = useApiQuery('/api/v1/directory/stats', { params: { query: { within } } });
  const create = useApiMutation('post', '/api/v1/directory', {
    invalidate: ['/api/v1/directory', '/api/v1/directory/stats'],
  });
  const update = useApiMutation('patch', '/api/v1/directory/{id}', {
    invalidate: ['/api/v1/directory', '/api/v1/directory/stats'],
  });
  const submit = useSubmit(
    form,
    (body) =>
      editing
        ? update.mutateAsync({ params: { path: { id: editing.id } }, body: blanksToNull(body) })
        : create.mutateAsync({ body }),
    {
      successMessage: t('已保存', 'Saved'),
      onSuccess: () => {
        setOpen(false);
        setEditing(undefined);
      },
    },
  );
  const close = () => {
    setOpen(false);
    setEditing(undefined);
  };
  const formOptions = (Object.keys(FORMS) as Entry['orgForm'][]).map((value) => ({
    value,
    label: FORMS[value][lang === 'en' ? 1 : 0],
  }));
  return (
    <Card
      title={t('监管名录', 'Supervision directory')}
      extra={
        <Space wrap>
          <Segmented
            value={registered}
            onChange={(v) => setRegistered(v as Registered)}
            options={[
              { value: 'false', label: t('未注册', 'Not registered') },
              { value: 'true', label: t('已注册', 'Registered') },
              { value: 'all', label: t('全部', 'All') },
            ]}
          />
          <Button
            onClick={() =>
              download('/api/v1/directory/export.xlsx', { params: { query: filter } }, '监管名录.xlsx').catch(showError)
            }
          >
            {t('导出 Excel', 'Export')}
          </Button>
          {can('directory.write') && (
            <Button type="primary" onClick={() => setOpen(true)}>
              {t('录入', 'Add')}
            </Button>
          )}
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <DivisionPicker
          root={me?.scope}
          maxLevel={5}
          placeholder={t('区划', 'Division')}
          onChange={setWithin}
          style={{ width: 240 }}
        />
        {stats?.map((s) => (
          <Tag key={s.code}>
            <span data-userdata>{s.name}</span>
            {t('：', ': ')}
            {t(`共 ${s.total}，未注册 ${s.unregistered}`, `${s.total}, ${s.unregistered} not registered`)}
          </Tag>
        ))}
      </Space>
      <ErrorText error={error} />
      <Table<Entry>
        rowKey="id"
        {...tableProps}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('名称', 'Name'), dataIndex: 'name' },
          {
            title: t('类型', 'Type'),
            dataIndex: 'orgForm',
            render: (f: Entry['orgForm']) => FORMS[f]?.[lang === 'en' ? 1 : 0],
          },
          { title: t('乡镇/村', 'Township'), dataIndex: 'divisionName' },
          {
            title: t('产品/规模', 'Products / scale'),
            render: (_, e) => [e.products, e.scale].filter(Boolean).join(' · '),
          },
          { title: t('联系', 'Contact'), render: (_, e) => [e.contactName, e.contactPhone].filter(Boolean).join(' ') },
          {
            title: t('注册', 'Registered'),
            render: (_, e) =>
              e.registered ? <Tag color="green">{e.subjectName}</Tag> : <Tag color="orange">{t('未注册', 'No')}</Tag>,
          },
          ...(can('directory.write')
            ? [
                {
                  title: t('操作', 'Actions'),
                  render: (_: unknown, e: Entry) => (
                    <Button
                      size="small"
                      onClick={() => {
                        setEditing(e);
                        setOpen(true);
                      }}
                    >
                      {t('编辑', 'Edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <Modal
        open={open}
        title={editing ? `${t('编辑', 'Edit')} · ${editing.name}` : t('录入监管名录', 'New entry')}
        onCancel={close}
        onOk={() => form.submit()}
        okButtonProps={{ loading: submit.submitting }}
        destroyOnHidden
      >
        <Form
          key={editing?.id ?? 'new'}
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={editing && toForm(editing)}
          onFinish={submit.onFinish}
        >
          <Form.Item name="name" label={t('名称/姓名', 'Name')} rules={[{ required: true, min: 2 }]}>
            <Input size="large" />
          </Form.Item>
          <Form.Item name="orgForm" label={t('类型', 'Type')} rules={[{ required: true }]}>
            <Select size="large" options={formOptions} />
          </Form.Item>
          <Form.Item name="industries" label={t('行业', 'Industries')}>
            <Select mode="multiple" size="large" options={options('industries')} />
          </Form.Item>
          <Form.Item name="divisionCode" label={t('所在乡镇/村', 'Township / village')} rules={[{ required: true }]}>
            <DivisionPicker root={me?.scope} rootName={me?.scopeName} allowRoot maxLevel={5} />
          </Form.Item>
          <Form.Item name="contactName" label={t('联系人', 'Contact')}>
            <Input size="large" />
          </Form.Item>
          <Form.Item name="contactPhone" label={t('联系电话', 'Phone')}>
            <Input size="large" />
          </Form.Item>
          <Form.Item name="products" label={t('主要产品', 'Products')}>
            <Input size="large" />
          </Form.Item>
          <Form.Item name="scale" label={t('规模（如 50 亩、300 头）', 'Scale')}>
            <Input size="large" />
          </Form.Item>
          <Form.Item
            name="certNo"
            label={t('信用代码/身份证号（可选，用于自动关联注册）', 'Certificate no. (optional)')}
          >
            <Input size="large" />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
