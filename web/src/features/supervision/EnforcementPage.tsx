import { App, Button, Card, Form, Input, InputNumber, Modal, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { get, post } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, fieldErrors } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import { type EnfCase, STATUS_COLORS } from './api';

const VIOLATIONS: [string, string, string][] = [
  ['false_info', '录入虚假追溯信息（第十七条第一项）', 'False information (art. 17 (1))'],
  ['chain_broken', '不传递追溯信息（第十七条第二项）', 'Chain not passed on (art. 17 (2))'],
  ['identity_misuse', '盗用冒用伪造身份标识/追溯标识（第十七条第三项）', 'Forged identity or labels (art. 17 (3))'],
  ['batch_mixing', '故意混批（第十七条第四项）', 'Mixed batches (art. 17 (4))'],
  ['other', '其他', 'Other'],
];
const ACTIONS: Record<string, [string, string]> = { investigate: ['开始调查', 'Investigate'], decide: ['作出处罚决定', 'Decide'], close: ['结案', 'Close'], dismiss: ['撤案/不予处罚', 'Dismiss'] };

/** 执法 Administrative penalty cases: register, investigate, decide (credit record), close. */
export default function EnforcementPage() {
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const list = useRequest(() => get<EnfCase[]>('/enforcement-cases'), []);
  const [open, setOpen] = useState(false);
  const [deciding, setDeciding] = useState<EnfCase | null>(null);
  const [form] = Form.useForm();
  const [df] = Form.useForm();
  const create = async (v: Record<string, string>) => {
    try {
      await post('/enforcement-cases', { identityCode: v.identityCode || null, partyName: v.partyName || null, divisionCode: v.divisionCode || null, productName: v.productName || null, traceCode: v.traceCode || null, facts: v.facts, violationType: v.violationType, sourceType: 'inspection' });
      setOpen(false);
      form.resetFields();
      list.reload();
      message.success(t('已立案', 'Case registered'));
    } catch (e) {
      form.setFields(fieldErrors(e, lang));
    }
  };
  const act = async (c: EnfCase, action: string, extra: Record<string, unknown> = {}) => {
    try {
      await post(`/enforcement-cases/${c.id}/actions`, { action, ...extra });
      list.reload();
      return true;
    } catch (e) {
      df.setFields(fieldErrors(e, lang));
      message.error((e as Error).message);
      return false;
    }
  };
  return (
    <Card title={t('行政处罚案件', 'Penalty cases')} extra={can('enforcement.manage') && <Button type="primary" size="large" onClick={() => setOpen(true)}>{t('立案', 'Register a case')}</Button>}>
      <ErrorText error={list.error} />
      <Table<EnfCase> rowKey="id" loading={list.loading} dataSource={list.data} scroll={{ x: true }} columns={[
        { title: t('案号', 'Case no.'), dataIndex: 'caseNo' },
        { title: t('当事人', 'Party'), dataIndex: 'partyName' },
        { title: t('违法类型', 'Violation'), render: (_, c) => (lang === 'en' ? c.violationEn : c.violationZh) },
        { title: t('决定', 'Decision'), render: (_, c) => c.decision && `${c.decision}${c.fineYuan ? `（${c.fineYuan} 元）` : ''}` },
        { title: t('状态', 'Status'), render: (_, c) => <Tag color={STATUS_COLORS[c.status]}>{lang === 'en' ? c.statusEn : c.statusZh}</Tag> },
        { title: '', render: (_, c) => <Space>{c.allowedActions.map((a) => <Button key={a} size="small" onClick={() => (a === 'decide' ? setDeciding(c) : act(c, a))}>{t(...ACTIONS[a])}</Button>)}</Space> },
      ]} />
      <Modal open={open} title={t('立案', 'Register a case')} onCancel={() => setOpen(false)} onOk={() => form.submit()} destroyOnHidden>
        <Form form={form} layout="vertical" onFinish={create}>
          <Form.Item name="identityCode" label={t('当事人主体身份码（扫码或输入）', 'Identity code of the party')}><Input /></Form.Item>
          <Form.Item name="partyName" label={t('未注册当事人名称', 'Unregistered party name')}><Input /></Form.Item>
          <Form.Item name="divisionCode" label={t('未注册当事人所在区划代码', 'Division of an unregistered party')}><Input /></Form.Item>
          <Form.Item name="productName" label={t('产品', 'Product')}><Input /></Form.Item>
          <Form.Item name="traceCode" label={t('批次追溯码', 'Batch trace code')}><Input /></Form.Item>
          <Form.Item name="violationType" label={t('违法类型', 'Violation')} rules={[{ required: true }]}><Select options={VIOLATIONS.map(([v, zh, en]) => ({ value: v, label: lang === 'en' ? en : zh }))} /></Form.Item>
          <Form.Item name="facts" label={t('违法事实', 'Facts')} rules={[{ required: true, min: 5 }]}><Input.TextArea rows={4} /></Form.Item>
        </Form>
      </Modal>
      <Modal open={!!deciding} title={t('处罚决定', 'Decision')} onCancel={() => setDeciding(null)} onOk={() => df.submit()} destroyOnHidden>
        <Form form={df} layout="vertical" onFinish={async (v) => { if (deciding && (await act(deciding, 'decide', { decision: v.decision, fineYuan: v.fineYuan ?? null }))) setDeciding(null); }}>
          <Form.Item name="decision" label={t('决定内容', 'Decision')} rules={[{ required: true }]}><Input.TextArea rows={3} /></Form.Item>
          <Form.Item name="fineYuan" label={t('罚款（元）', 'Fine (yuan)')}><InputNumber min={0} style={{ width: '100%' }} /></Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
