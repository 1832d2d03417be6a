import { App, Button, Card, Empty, Input, InputNumber, List, Modal, Result, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { ApiBody, ApiData } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText, errorMessage } from '../../shared/ui/ErrorText';
import { isQueued, useQueuedMutation, useQueuedNotice } from '../../shared/offline/useQueuedMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { ScanInput } from '../../shared/ui/ScanInput';
import { PlatformName } from '../../shared/ui/PlatformName';

type Sale = ApiData<'get', '/api/v1/sales/{id}'>;

/** 收货：扫货品上的追溯码一键确认，或在待确认列表里确认/拒收。Phone first. */
export default function ReceivePage() {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const pending = useApiQuery('/api/v1/sales', {
    params: { query: { role: 'buyer', status: 'pending', pageSize: 50 } },
  });
  // Sales made on another platform to this buyer (issue 15): confirmed here like any other, the decision goes back.
  const incoming = useApiQuery('/api/v1/sales/incoming', { params: { query: { status: 'pending', pageSize: 50 } } });
  const waiting = [...(incoming.data?.items ?? []), ...(pending.data?.items ?? [])];
  // Through the offline queue: without signal the confirmation is kept on the device and sent once when online.
  const receipt = useQueuedMutation('/api/v1/receipts', 'receipt', [
    '/api/v1/sales',
    '/api/v1/sales/incoming',
    '/api/v1/batches',
  ]);
  const queuedNotice = useQueuedNotice();
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<Sale | null>(null);
  const [refusing, setRefusing] = useState<Sale | null>(null);
  const [reason, setReason] = useState('');
  const [received, setReceived] = useState<Record<string, number | null>>({});

  const decide = async (body: ApiBody<'post', '/api/v1/receipts'>) => {
    setError(undefined);
    try {
      const what = body.code ?? waiting.find((x) => x.id === body.saleId)?.batchNo ?? '';
      const r = await receipt(body, {
        zh: `${body.decision === 'refuse' ? '拒收' : '确认收货'} ${what}`,
        en: `${body.decision === 'refuse' ? 'Refusal' : 'Receipt'} ${what}`,
        link: '/chain/receive',
      });
      if (isQueued(r)) queuedNotice();
      else setDone(r);
      setRefusing(null);
      setCode('');
    } catch (e) {
      setError(e);
      message.error(errorMessage(e, lang));
    }
  };

  return (
    <Space direction="vertical" size={16} style={{ width: '100%', maxWidth: 720 }}>
      <Card title={t('扫码收货', 'Scan to receive')}>
        <ErrorText error={error} />
        <ScanInput
          testId="receive"
          value={code}
          onChange={setCode}
          placeholder={t('扫描或输入货品上的追溯码', 'Scan or type the code on the goods')}
          data-testid="receive-code"
          after={
            <Button
              size="large"
              type="primary"
              disabled={!code.trim()}
              onClick={() => void decide({ code, decision: 'accept' })}
              data-testid="receive-scan-accept"
            >
              {t('确认收货', 'Confirm')}
            </Button>
          }
        />
      </Card>
      {done && (
        <Result
          status={done.status === 'accepted' ? 'success' : 'warning'}
          data-testid="receive-done"
          title={
            done.status === 'accepted'
              ? t('已确认收货', 'Receipt confirmed')
              : t('已拒收，库存已退回卖方', 'Refused; the stock went back to the seller')
          }
          subTitle={
            done.receiptCode ? (
              <>
                {t('本批次的流通批次码：', 'Your circulation code: ')}
                <Typography.Text copyable code data-testid="receipt-code">
                  {done.receiptCode}
                </Typography.Text>
              </>
            ) : null
          }
          extra={
            done.receiptBatchId
              ? [
                  <Button
                    key="repack"
                    size="large"
                    onClick={() => navigate(`/chain/repack?batch=${done.receiptBatchId}`)}
                  >
                    {t('分装/重新包装', 'Split / repack')}
                  </Button>,
                  <Button
                    key="sell"
                    size="large"
                    type="primary"
                    onClick={() => navigate(`/chain/sell?batch=${done.receiptBatchId}`)}
                  >
                    {t('继续销售', 'Sell on')}
                  </Button>,
                ]
              : null
          }
        />
      )}
      <Card title={t('待确认收货', 'Waiting for you')}>
        <ErrorText error={incoming.error} />
        {waiting.length === 0 ? (
          <Empty description={t('没有待确认的货', 'Nothing to confirm')} />
        ) : (
          <List
            dataSource={waiting}
            renderItem={(s) => (
              <List.Item data-testid={`pending-${s.id}`}>
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Typography.Text strong style={{ fontSize: 16 }}>
                    {s.sellerName}：{s.productName} {s.quantity}
                    {s.unit}
                  </Typography.Text>
                  {s.sellerPlatform && (
                    <Tag color="purple" data-testid={`incoming-${s.id}`}>
                      {t('来自其他平台', 'From another platform')}: <PlatformName id={s.sellerPlatform} />
                    </Tag>
                  )}
                  <Typography.Text type="secondary">
                    {new Date(s.soldAt).toLocaleString('zh-CN')} · {s.batchCode}
                  </Typography.Text>
                  <Space wrap>
                    {t('实收数量', 'Received')}{' '}
                    <InputNumber
                      size="large"
                      min={0.001}
                      max={s.quantity}
                      value={received[s.id] ?? s.quantity}
                      onChange={(v) => setReceived({ ...received, [s.id]: v })}
                    />
                    {s.allowedActions.includes('accept') && (
                      <Button
                        size="large"
                        type="primary"
                        data-testid="receive-accept"
                        onClick={() =>
                          void decide({
                            saleId: s.id,
                            decision: 'accept',
                            receivedQuantity: received[s.id] ?? s.quantity,
                          })
                        }
                      >
                        {t('确认收货', 'Confirm')}
                      </Button>
                    )}
                    {s.allowedActions.includes('refuse') && (
                      <Button
                        size="large"
                        danger
                        data-testid="receive-refuse"
                        onClick={() => {
                          setRefusing(s);
                          setReason('');
                        }}
                      >
                        {t('拒收', 'Refuse')}
                      </Button>
                    )}
                  </Space>
                </Space>
              </List.Item>
            )}
          />
        )}
      </Card>
      <Modal
        open={!!refusing}
        title={t('拒收原因', 'Why refuse?')}
        okText={t('确认拒收', 'Refuse')}
        okButtonProps={{ danger: true, disabled: !reason.trim() }}
        onCancel={() => setRefusing(null)}
        onOk={() => refusing && void decide({ saleId: refusing.id, decision: 'refuse', reason })}
      >
        <Input.TextArea
          rows={3}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t(
            '例如：品质不符、数量不对（卖方会看到）',
            'e.g. quality or quantity wrong (the seller will see it)',
          )}
          data-testid="refuse-reason"
        />
      </Modal>
    </Space>
  );
}
