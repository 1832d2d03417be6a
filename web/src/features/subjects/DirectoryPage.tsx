import { App, Button, Card, Form, Input, Modal, Segmented, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { download, get, type Page, post } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { DivisionPicker } from '../../shared/ui/DivisionPicker';
import { ErrorText, fieldErrors } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import { INDUSTRIES } from './labels';

interface Entry { id: string; name: string; orgForm: string; divisionName: string; contactName: string | null; contactPhone: string | null; products: string | null; scale: string | null; registered: boolean; subjectName: string | null }
const FORMS: Record<string, [string, string]> = { enterprise: ['企业', 'Enterprise'], cooperative: ['合作社', 'Cooperative'], family_farm: ['家庭农场', 'Family farm'], individual: ['农户', 'Farmer'], broker: ['农村经纪人', 'Broker'] };

/** 监管名录 Census of producers by township staff; "not registered" is the to-do list. */
export default function DirectoryPage() {
  const { t, lang } = useI18n();
  const { me, can } = useAuth();
  const { message } = App.useApp();
  const [registered, setRegistered] = useState<string>('false');
  const [within, setWithin] = useState<string>();
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { data, error, loading, reload } = useRequest(() => get<Page<Entry>>('/directory', { registered: registered === 'all' ? undefined : registered, within, page, pageSize: 20 }), [registered, within, page]);
  const { data: stats } = useRequest(() => get<{ code: string; name: string; total: number; registered: number; unregistered: number }[]>('/directory/stats', { within }), [within, data]);
  const L = (m: Record<string, [string, string]>) => Object.entries(m).map(([value, v]) => ({ value, label: lang === 'en' ? v[1] : v[0] }));
  return (
    <Card title={t('监管名录', 'Supervision directory')} extra={<Space wrap>
      <Segmented value={registered} onChange={(v) => { setPage(1); setRegistered(v as string); }} options={[{ value: 'false', label: t('未注册', 'Not registered') }, { value: 'true', label: t('已注册', 'Registered') }, { value: 'all', label: t('全部', 'All') }]} />
      <Button onClick={() => download('/directory/export.xlsx', { registered: registered === 'all' ? undefined : registered, within }, '监管名录.xlsx')}>{t('导出 Excel', 'Export')}</Button>
      {can('directory.write') && <Button type="primary" onClick={() => setOpen(true)}>{t('录入', 'Add')}</Button>}
    </Space>}>
      <Space wrap style={{ marginBottom: 12 }}>
        <DivisionPicker root={me?.scope} maxLevel={5} placeholder={t('区划', 'Division')} onChange={(v) => { setPage(1); setWithin(v); }} style={{ width: 240 }} />
        {stats?.map((s) => <Tag key={s.code}>{s.name}：{t(`共 ${s.total}，未注册 ${s.unregistered}`, `${s.total}, ${s.unregistered} not registered`)}</Tag>)}
      </Space>
      <ErrorText error={error} />
      <Table<Entry> rowKey="id" loading={loading} dataSource={data?.items} scroll={{ x: true }} pagination={{ current: page, total: data?.total, pageSize: 20, onChange: setPage }}
        columns={[
          { title: t('名称', 'Name'), dataIndex: 'name' },
          { title: t('类型', 'Type'), dataIndex: 'orgForm', render: (f) => FORMS[f]?.[lang === 'en' ? 1 : 0] },
          { title: t('乡镇/村', 'Township'), dataIndex: 'divisionName' },
          { title: t('产品/规模', 'Products / scale'), render: (_, e) => [e.products, e.scale].filter(Boolean).join(' · ') },
          { title: t('联系', 'Contact'), render: (_, e) => [e.contactName, e.contactPhone].filter(Boolean).join(' ') },
          { title: t('注册', 'Registered'), render: (_, e) => (e.registered ? <Tag color="green">{e.subjectName}</Tag> : <Tag color="orange">{t('未注册', 'No')}</Tag>) },
        ]} />
      <Modal open={open} title={t('录入监管名录', 'New entry')} onCancel={() => setOpen(false)} onOk={() => form.submit()} destroyOnHidden>
        <Form form={form} layout="vertical" preserve={false} onFinish={async (v) => {
          try { await post('/directory', v); setOpen(false); message.success(t('已录入', 'Saved')); await reload(); } catch (e) { form.setFields(fieldErrors(e, lang)); message.error((e as Error).message); }
        }}>
          <Form.Item name="name" label={t('名称/姓名', 'Name')} rules={[{ required: true, min: 2 }]}><Input size="large" /></Form.Item>
          <Form.Item name="orgForm" label={t('类型', 'Type')} rules={[{ required: true }]}><Select size="large" options={L(FORMS)} /></Form.Item>
          <Form.Item name="industries" label={t('行业', 'Industries')}><Select mode="multiple" size="large" options={L(INDUSTRIES)} /></Form.Item>
          <Form.Item name="divisionCode" label={t('所在乡镇/村', 'Township / village')} rules={[{ required: true }]}><DivisionPicker root={me?.scope} rootName={me?.scopeName} allowRoot maxLevel={5} /></Form.Item>
          <Form.Item name="contactName" label={t('联系人', 'Contact')}><Input size="large" /></Form.Item>
          <Form.Item name="contactPhone" label={t('联系电话', 'Phone')}><Input size="large" /></Form.Item>
          <Form.Item name="products" label={t('主要产品', 'Products')}><Input size="large" /></Form.Item>
          <Form.Item name="scale" label={t('规模（如 50 亩、300 头）', 'Scale')}><Input size="large" /></Form.Item>
          <Form.Item name="certNo" label={t('信用代码/身份证号（可选，用于自动关联注册）', 'Certificate no. (optional)')}><Input size="large" /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
