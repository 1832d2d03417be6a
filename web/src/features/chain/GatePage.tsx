import { Button, Card, Input, InputNumber, List, Result, Space, Typography } from 'antd';
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { useState } from 'react';
import type { ApiData } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { isQueued, useQueuedMutation, useQueuedNotice } from '../../shared/offline/useQueuedMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { ScanInput } from '../../shared/ui/ScanInput';

type GateResult = ApiData<'post', '/api/v1/voucher-checks'>;

/** 入市查验：门岗用手机扫凭证或追溯码，立即显示能否入市和原因；每次查验都记录。 */
export default function GatePage() {
  const { t, lang } = useI18n();
  const [code, setCode] = useState('');
  const [quantity, setQuantity] = useState<number | null>(null);
  const [result, setResult] = useState<GateResult | null>(null);
  const [error, setError] = useState<unknown>();
  const [lastCode, setLastCode] = useState('');
  const [note, setNote] = useState('');
  const history = useApiQuery('/api/v1/voucher-checks', { params: { query: { pageSize: 10 } } });
  // Through the offline queue: without signal the check is kept on the device; its verdict shows in the queue.
  const verify = useQueuedMutation('/api/v1/voucher-checks', 'gate', ['/api/v1/voucher-checks']);
  const queuedNotice = useQueuedNotice();
  const [pending, setPending] = useState(false);
  const check = async (again?: { code: string; note: string }) => {
    setError(undefined);
    const c = again?.code ?? code;
    setPending(true);
    try {
      const r = await verify(
        { code: c, ...(quantity ? { quantity } : {}), ...(again ? { note: again.note } : {}) },
        { zh: `入市查验 ${c}`, en: `Gate check ${c}`, link: '/chain/gate' },
      );
      if (isQueued(r)) {
        queuedNotice();
        setResult(null);
      } else setResult(r);
      setLastCode(c);
      setNote('');
      setCode('');
    } catch (e) {
      setError(e);
    } finally {
      setPending(false);
    }
  };
  // One voucher is one delivery: passed here before, it goes through again only with the staff's note.
  const needsNote = result?.reasons.some((r) => r.code === 'PASSED_HERE_BEFORE' && !r.ok) ?? false;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%', maxWidth: 600 }}>
      <Card title={t('入市查验', 'Market gate check')}>
        <ErrorText error={error} />
        <Space direction="vertical" style={{ width: '100%' }} size="middle">
          <ScanInput
            testId="gate"
            value={code}
            onChange={setCode}
            onPressEnter={() => code.trim() && void check()}
            placeholder={t('扫描入市追溯凭证或追溯码', 'Scan the market-entry voucher or the trace code')}
            data-testid="gate-code"
            autoFocus
          />
          <InputNumber
            size="large"
            style={{ width: '100%' }}
            min={0.001}
            value={quantity}
            onChange={setQuantity}
            placeholder={t('入场数量（可不填）', 'Quantity entering (optional)')}
          />
          <Button
            type="primary"
            size="large"
            block
            disabled={!code.trim()}
            loading={pending}
            onClick={() => void check()}
            data-testid="gate-check"
          >
            {t('查验', 'Check')}
          </Button>
        </Space>
      </Card>
      {needsNote && (
        <Card size="small" title={t('重复查验说明', 'Note for a repeated check')}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Input.TextArea
              rows={2}
              maxLength={500}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              data-testid="gate-note"
              placeholder={t('如：同一批货重新扫码、货物退回后再次入场', 'e.g. the same delivery scanned again')}
            />
            <Button
              block
              disabled={!note.trim()}
              loading={pending}
              onClick={() => void check({ code: lastCode, note })}
              data-testid="gate-recheck"
            >
              {t('填写说明后再次查验', 'Check again with this note')}
            </Button>
          </Space>
        </Card>
      )}
      {result && (
        <Result
          data-testid="gate-result"
          data-verified={String(result.verified)}
          icon={
            result.verified ? (
              <CheckCircleFilled style={{ color: '#2e7d32' }} />
            ) : (
              <CloseCircleFilled style={{ color: '#c62828' }} />
            )
          }
          title={<span style={{ fontSize: 26 }}>{lang === 'en' ? result.messageEn : result.message}</span>}
          subTitle={
            result.info
              ? `${result.info.productName ?? ''} ${result.info.quantity ?? ''}${result.info.unit ?? ''} · ${result.info.sellerName ?? ''}`
              : null
          }
        >
          <List
            size="small"
            dataSource={result.reasons}
            renderItem={(r) => (
              <List.Item>
                <Space>
                  {r.ok ? (
                    <CheckCircleFilled style={{ color: '#2e7d32' }} />
                  ) : (
                    <CloseCircleFilled style={{ color: '#c62828' }} />
                  )}
                  <Typography.Text type={r.ok ? undefined : 'danger'}>
                    {lang === 'en' ? r.messageEn : r.message}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </Result>
      )}
      <Card title={t('最近查验', 'Recent checks')} size="small">
        <List
          size="small"
          dataSource={history.data?.items ?? []}
          renderItem={(c) => (
            <List.Item>
              {c.verified ? (
                <CheckCircleFilled style={{ color: '#2e7d32' }} />
              ) : (
                <CloseCircleFilled style={{ color: '#c62828' }} />
              )}{' '}
              {new Date(c.checkedAt).toLocaleTimeString('zh-CN')} {c.input}
            </List.Item>
          )}
        />
      </Card>
    </Space>
  );
}
