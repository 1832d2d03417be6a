import { Alert, App, Button, Card, Descriptions, Form, Input, InputNumber, Modal, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { download, get, post } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, errorMessage, fieldErrors } from '../../shared/ui/ErrorText';
import type { Graph, LineageNode, Recall } from './api';
import { ChainGraph } from './ChainGraph';

/** 链条追溯：输入/扫描追溯码 → 完整链条图（监管）或上下一级（主体），导出上下游记录，发起召回。 */
export default function TracePage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const { can } = useAuth();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [graph, setGraph] = useState<Graph | null>(null);
  const [error, setError] = useState<unknown>();
  const [picked, setPicked] = useState<LineageNode | null>(null);
  const [recallOpen, setRecallOpen] = useState(false);
  const [form] = Form.useForm();

  useEffect(() => {
    if (!id) return;
    setError(undefined);
    setGraph(null);
    (async () => {
      try {
        if (can('lineage.graph')) setGraph(await get<Graph>(`/batches/${id}/graph`));
        else {
          const [b, f] = await Promise.all([get<Graph>(`/batches/${id}/backward`, { pageSize: 500 }), get<Graph>(`/batches/${id}/forward`, { pageSize: 500 })]);
          setGraph({ rootId: id, total: b.total + f.total - 1, nodes: [...b.nodes.filter((n) => n.depth > 0).map((n) => ({ ...n, depth: -n.depth })), ...f.nodes], edges: [...b.edges, ...f.edges] });
        }
      } catch (e) {
        setError(e);
      }
    })();
  }, [id, can]);

  const find = async () => {
    setError(undefined);
    try {
      const r = await get<{ status: string; batch?: { id: string } | null; message: string; messageEn: string }>(`/public/codes/${encodeURIComponent(code.trim())}`);
      if (!r.batch) throw new Error(lang === 'en' ? r.messageEn : r.message);
      navigate(`/chain/trace/${r.batch.id}`);
    } catch (e) {
      setError(e);
    }
  };
  const root = graph?.nodes.find((n) => n.batchId === graph.rootId);

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('链条追溯', 'Trace the chain')}>
        <Space.Compact style={{ width: '100%', maxWidth: 640 }}>
          <Input size="large" value={code} onChange={(e) => setCode(e.target.value)} onPressEnter={() => void find()} placeholder={t('输入或扫描追溯码（生产批次码、流通批次码）', 'Type or scan a trace code')} data-testid="trace-code" />
          <Button size="large" type="primary" onClick={() => void find()} data-testid="trace-find">{t('追溯', 'Trace')}</Button>
        </Space.Compact>
      </Card>
      <ErrorText error={error} />
      {graph && root && (
        <Card
          title={<>{root.productName} · {root.batchNo} {root.recall && <Tag color="red">{t('召回中', 'Recalled')} {root.recall}</Tag>}</>}
          extra={<Space wrap>
            <Button onClick={() => void download(`/batches/${graph.rootId}/lineage.xlsx`, undefined, 'lineage.xlsx')} data-testid="trace-export">{t('导出上下游记录', 'Export records')}</Button>
            {can('recall.open') && !root.recall && <Button danger type="primary" onClick={() => setRecallOpen(true)} data-testid="recall-open">{t('发起召回', 'Open a recall')}</Button>}
          </Space>}
        >
          <Typography.Paragraph type="secondary">
            {t(`共 ${graph.total} 个批次；左为来源，右为流向。点选节点查看详情。`, `${graph.total} lots; sources to the left, holders to the right. Tap a node for details.`)}
            {graph.truncated && t('（图过大，仅显示部分）', ' (too large: partly shown)')}
          </Typography.Paragraph>
          <ChainGraph nodes={graph.nodes} edges={graph.edges} rootId={graph.rootId} onPick={setPicked} />
          {picked && (
            <Descriptions size="small" bordered column={{ xs: 1, md: 3 }} style={{ marginTop: 12 }}>
              <Descriptions.Item label={t('主体', 'Subject')}>{picked.subjectName}</Descriptions.Item>
              <Descriptions.Item label={t('追溯码', 'Code')}>{picked.code}</Descriptions.Item>
              <Descriptions.Item label={t('数量 / 库存', 'Quantity / stock')}>{picked.quantity} / {picked.stock} {picked.unit}</Descriptions.Item>
            </Descriptions>
          )}
          <Table<LineageNode> style={{ marginTop: 12 }} rowKey="batchId" size="small" dataSource={[...graph.nodes].sort((a, b) => a.depth - b.depth)} pagination={{ pageSize: 20 }} scroll={{ x: 'max-content' }}
            onRow={(n) => ({ onClick: () => navigate(`/chain/trace/${n.batchId}`) })} data-testid="trace-table" columns={[
              { title: t('层级', 'Depth'), dataIndex: 'depth', sorter: (a, b) => a.depth - b.depth },
              { title: t('主体', 'Subject'), dataIndex: 'subjectName' },
              { title: t('产品', 'Product'), dataIndex: 'productName' },
              { title: t('追溯码', 'Code'), dataIndex: 'code' },
              { title: t('数量', 'Quantity'), render: (_, n) => `${n.quantity}${n.unit}` },
              { title: t('库存', 'Stock'), render: (_, n) => `${n.stock}${n.unit}` },
              { title: t('区划', 'Division'), dataIndex: 'divisionCode' },
              { title: '', render: (_, n) => (n.recall ? <Tag color="red">{n.recall}</Tag> : null) },
            ]} />
        </Card>
      )}
      <Modal open={recallOpen} title={t('发起召回', 'Open a recall')} okText={t('发起召回并通知所有持有者', 'Open and notify every holder')} okButtonProps={{ danger: true, ...({ 'data-testid': 'recall-confirm' } as Record<string, string>) }}
        onCancel={() => setRecallOpen(false)} onOk={async () => {
          try {
            const v = await form.validateFields();
            const r = await post<Recall>('/recalls', { batchId: graph?.rootId, ...v });
            setRecallOpen(false);
            navigate(`/chain/recalls/${r.id}`);
          } catch (e) {
            if (e && typeof e === 'object' && 'errorFields' in e) return;
            form.setFields(fieldErrors(e, lang));
            message.error(errorMessage(e, lang));
          }
        }}>
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} message={t('将向该批次及其所有下游批次的持有者发出召回通知；平台外买方列入电话通知名单。', 'Every holder of this lot and everything downstream is notified; buyers outside the platform are listed for phone calls.')} />
        <Form form={form} layout="vertical" initialValues={{ level: 2 }}>
          <Form.Item name="reason" label={t('召回原因', 'Reason')} rules={[{ required: true, min: 2, message: t('请写明原因', 'Give the reason') }]}><Input.TextArea rows={3} data-testid="recall-reason" /></Form.Item>
          <Form.Item name="level" label={t('召回级别（1 最严重）', 'Level (1 = most serious)')}><InputNumber min={1} max={3} /></Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
