import { Button, Card, Input, InputNumber, List, Result, Space, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { useState } from 'react';
import { get, post } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import type { GateResult } from './api';

/** 入市查验：门岗用手机扫凭证或追溯码，立即显示能否入市和原因；每次查验都记录。 */
export default function GatePage() {
  const { t, lang } = useI18n();
  const [code, setCode] = useState('');
  const [quantity, setQuantity] = useState<number | null>(null);
  const [result, setResult] = useState<GateResult | null>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const history = useRequest(() => get<{ items: { id: string; input: string; verified: boolean; checkedAt: string }[] }>('/voucher-checks', { pageSize: 10 }), []);
  const check = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await post<GateResult>('/voucher-checks', { code, ...(quantity ? { quantity } : {}) }));
      setCode('');
      void history.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" size={16} style={{ width: '100%', maxWidth: 600 }}>
      <Card title={t('入市查验', 'Market gate check')}>
        <ErrorText error={error} />
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <Input size="large" value={code} onChange={(e) => setCode(e.target.value)} onPressEnter={() => code.trim() && void check()} placeholder={t('扫描入市追溯凭证或追溯码', 'Scan the market-entry voucher or the trace code')} data-testid="gate-code" autoFocus />
          <InputNumber size="large" style={{ width: '100%' }} min={0.001} value={quantity} onChange={setQuantity} placeholder={t('入场数量（可不填）', 'Quantity entering (optional)')} />
          <Button type="primary" size="large" block disabled={!code.trim()} loading={busy} onClick={() => void check()} data-testid="gate-check">{t('查验', 'Check')}</Button>
        </Space>
      </Card>
      {result && (
        <Result data-testid="gate-result" data-verified={String(result.verified)}
          icon={result.verified ? <CheckCircleFilled style={{ color: '#2e7d32' }} /> : <CloseCircleFilled style={{ color: '#c62828' }} />}
          title={<span style={{ fontSize: 26 }}>{lang === 'en' ? result.messageEn : result.message}</span>}
          subTitle={result.info ? `${result.info.productName ?? ''} ${result.info.quantity ?? ''}${result.info.unit ?? ''} · ${result.info.sellerName ?? ''}` : null}>
          <List size="small" dataSource={result.reasons} renderItem={(r) => (
            <List.Item>
              <Space>{r.ok ? <CheckCircleFilled style={{ color: '#2e7d32' }} /> : <CloseCircleFilled style={{ color: '#c62828' }} />}<Typography.Text type={r.ok ? undefined : 'danger'}>{lang === 'en' ? r.messageEn : r.message}</Typography.Text></Space>
            </List.Item>
          )} />
        </Result>
      )}
      <Card title={t('最近查验', 'Recent checks')} size="small">
        <List size="small" dataSource={history.data?.items ?? []} renderItem={(c) => (
          <List.Item>{c.verified ? <CheckCircleFilled style={{ color: '#2e7d32' }} /> : <CloseCircleFilled style={{ color: '#c62828' }} />} {new Date(c.checkedAt).toLocaleTimeString('zh-CN')} {c.input}</List.Item>
        )} />
      </Card>
    </Space>
  );
}
