import {
  Alert,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Modal,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { type ApiBody, type ApiData, download, http } from '../../shared/api';
import { useAuth } from '../../shared/auth';
import { useI18n } from '../../shared/i18n';
import { ErrorText, useShowError } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { useSubmit } from '../../shared/useSubmit';
import { ChainGraph, type LineageNode, namedNodes } from './ChainGraph';
import { ownerLabel } from './tooltip';
import { ScanInput } from '../../shared/ui/ScanInput';

type Graph = ApiData<'get', '/api/v1/batches/{id}/graph'>;
type RecallInput = Omit<ApiBody<'post', '/api/v1/recalls'>, 'batchId'>;

/** 链条追溯：输入/扫描追溯码 → 完整链条图（监管）或上下一级（主体），导出上下游记录，发起召回。 */
export default function TracePage() {
  const { id } = useParams();
  const { t, lang } = useI18n();
  const { can, me } = useAuth();
  // National holds no lots of its own: a code is traced there across the platforms (the shared chain).
  const network = me?.platformTier === 'national' && can('lineage.graph');
  const showError = useShowError();
  const navigate = useNavigate();
  const [code, setCode] = useState('');
  const [findError, setFindError] = useState<unknown>();
  const [picked, setPicked] = useState<LineageNode | null>(null);
  const [recallOpen, setRecallOpen] = useState(false);
  const [form] = Form.useForm<RecallInput>();
  // Regulators see the whole graph; producers one step each way (the server cuts both to the caller's reach).
  const whole = can('lineage.graph');
  const path = { id: id ?? '' };
  const graphQuery = useApiQuery('/api/v1/batches/{id}/graph', { params: { path } }, { enabled: !!id && whole });
  const halfQuery = { params: { path, query: { pageSize: 500 } } };
  const back = useApiQuery('/api/v1/batches/{id}/backward', halfQuery, { enabled: !!id && !whole });
  const fwd = useApiQuery('/api/v1/batches/{id}/forward', halfQuery, { enabled: !!id && !whole });
  const graph = useMemo<{
    rootId: string;
    total: number;
    truncated: boolean;
    nodes: LineageNode[];
    edges: Graph['edges'];
  } | null>(() => {
    if (!id) return null;
    if (whole) {
      const g = graphQuery.data;
      return g
        ? { rootId: g.rootId, total: g.total, truncated: g.truncated, nodes: namedNodes(g), edges: g.edges }
        : null;
    }
    const b = back.data;
    const f = fwd.data;
    if (!b || !f) return null;
    return {
      rootId: id,
      total: b.total + f.total - 1,
      truncated: b.more || f.more,
      nodes: [
        ...namedNodes(b)
          .filter((n) => n.depth > 0)
          .map((n) => ({ ...n, depth: -n.depth })),
        ...namedNodes(f),
      ],
      edges: [...b.edges, ...f.edges],
    };
  }, [id, whole, graphQuery.data, back.data, fwd.data]);
  const error = findError ?? graphQuery.error ?? back.error ?? fwd.error;
  const openRecall = useApiMutation('post', '/api/v1/recalls', { invalidate: ['/api/v1/recalls'] });
  const submitRecall = useSubmit(form, (v: RecallInput) =>
    openRecall.mutateAsync({ body: { batchId: graph?.rootId ?? '', ...v } }),
  );

  const find = async () => {
    setFindError(undefined);
    try {
      const r = await http.get('/api/v1/public/codes/{code}', { params: { path: { code: code.trim() } } });
      if (!r.batch) throw new Error(lang === 'en' ? r.messageEn : r.message);
      navigate(`/chain/trace/${r.batch.id}`);
    } catch (e) {
      setFindError(e);
    }
  };
  const root = graph?.nodes.find((n) => n.batchId === graph.rootId);

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('链条追溯', 'Trace the chain')}>
        <div style={{ maxWidth: 640 }}>
          <ScanInput
            testId="trace"
            value={code}
            onChange={setCode}
            onPressEnter={() => void find()}
            placeholder={t('输入或扫描追溯码（生产批次码、流通批次码）', 'Type or scan a trace code')}
            data-testid="trace-code"
            after={
              <Button size="large" type="primary" onClick={() => void find()} data-testid="trace-find">
                {t('追溯', 'Trace')}
              </Button>
            }
          />
          {network && (
            <Button
              style={{ marginTop: 8 }}
              disabled={!code.trim()}
              onClick={() => navigate(`/chain/network?code=${encodeURIComponent(code.trim())}`)}
              data-testid="trace-network"
            >
              {t('查看全国链条（跨平台）', 'Trace across platforms')}
            </Button>
          )}
        </div>
      </Card>
      <ErrorText error={error} />
      {graph && root && (
        <Card
          title={
            <>
              <span data-userdata>
                {root.productName} · {root.batchNo}
              </span>{' '}
              {root.recall && (
                <Tag color="red">
                  {t('召回中', 'Recalled')} {root.recall}
                </Tag>
              )}
            </>
          }
          extra={
            <Space wrap>
              <Button
                onClick={() =>
                  void download(
                    '/api/v1/batches/{id}/lineage.xlsx',
                    { params: { path: { id: graph.rootId } } },
                    'lineage.xlsx',
                  ).catch(showError)
                }
                data-testid="trace-export"
              >
                {t('导出上下游记录', 'Export records')}
              </Button>
              {can('recall.open') && !root.recall && (
                <Button danger type="primary" onClick={() => setRecallOpen(true)} data-testid="recall-open">
                  {t('发起召回', 'Open a recall')}
                </Button>
              )}
            </Space>
          }
        >
          <Typography.Paragraph type="secondary">
            {t(
              `共 ${graph.total} 个批次；左为来源，右为流向。点选节点查看详情。`,
              `${graph.total} lots; sources to the left, holders to the right. Tap a node for details.`,
            )}
            {graph.truncated && t('（图过大，仅显示部分）', ' (too large: partly shown)')}
          </Typography.Paragraph>
          <ChainGraph nodes={graph.nodes} edges={graph.edges} rootId={graph.rootId} onPick={setPicked} />
          {picked && (
            <Descriptions size="small" bordered column={{ xs: 1, md: 3 }} style={{ marginTop: 12 }}>
              <Descriptions.Item label={t('主体', 'Subject')}>{ownerLabel(picked, t)}</Descriptions.Item>
              <Descriptions.Item label={t('区划', 'Division')}>{picked.divisionName}</Descriptions.Item>
              <Descriptions.Item label={t('追溯码', 'Code')}>
                {picked.masked ? t('辖区外，不显示', 'outside your jurisdiction: not shown') : picked.code}
              </Descriptions.Item>
              <Descriptions.Item label={t('数量 / 库存', 'Quantity / stock')}>
                {picked.quantity} / {picked.stock} {picked.unit}
              </Descriptions.Item>
            </Descriptions>
          )}
          <Table<LineageNode>
            style={{ marginTop: 12 }}
            rowKey="batchId"
            size="small"
            dataSource={[...graph.nodes].sort((a, b) => a.depth - b.depth)}
            pagination={{ pageSize: 20 }}
            scroll={{ x: 'max-content' }}
            // A lot outside the jurisdiction has no page to open (its id is an alias).
            onRow={(n) => (n.masked ? {} : { onClick: () => navigate(`/chain/trace/${n.batchId}`) })}
            data-testid="trace-table"
            columns={[
              { title: t('层级', 'Depth'), dataIndex: 'depth', sorter: (a, b) => a.depth - b.depth },
              {
                title: t('主体', 'Subject'),
                render: (_, n) =>
                  n.masked ? (
                    <span data-testid="trace-masked">
                      <Tag>{t('辖区外主体', 'Outside your jurisdiction')}</Tag>
                      {n.divisionName}
                    </span>
                  ) : (
                    n.subjectName
                  ),
              },
              { title: t('产品', 'Product'), render: (_, n) => n.productName ?? '—' },
              { title: t('追溯码', 'Code'), render: (_, n) => n.code ?? '—' },
              { title: t('数量', 'Quantity'), render: (_, n) => `${n.quantity}${n.unit}` },
              { title: t('库存', 'Stock'), render: (_, n) => `${n.stock}${n.unit}` },
              { title: t('区划', 'Division'), dataIndex: 'divisionName' },
              { title: '', render: (_, n) => (n.recall ? <Tag color="red">{n.recall}</Tag> : null) },
            ]}
          />
        </Card>
      )}
      <Modal
        open={recallOpen}
        title={t('发起召回', 'Open a recall')}
        okText={t('发起召回并通知所有持有者', 'Open and notify every holder')}
        okButtonProps={{ danger: true, ...({ 'data-testid': 'recall-confirm' } as Record<string, string>) }}
        onCancel={() => setRecallOpen(false)}
        confirmLoading={submitRecall.submitting}
        onOk={async () => {
          const v = await form.validateFields().catch(() => null);
          if (!v) return;
          const r = await submitRecall.onFinish(v);
          if (!r) return;
          setRecallOpen(false);
          navigate(`/chain/recalls/${r.id}`);
        }}
      >
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={t(
            '将向该批次及其所有下游批次的持有者发出召回通知；平台外买方列入电话通知名单。',
            'Every holder of this lot and everything downstream is notified; buyers outside the platform are listed for phone calls.',
          )}
        />
        <Form form={form} layout="vertical" initialValues={{ level: 2 }}>
          <Form.Item
            name="reason"
            label={t('召回原因', 'Reason')}
            rules={[{ required: true, min: 2, message: t('请写明原因', 'Give the reason') }]}
          >
            <Input.TextArea rows={3} data-testid="recall-reason" />
          </Form.Item>
          <Form.Item name="level" label={t('召回级别（1 最严重）', 'Level (1 = most serious)')}>
            <InputNumber min={1} max={3} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
