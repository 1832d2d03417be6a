import { Alert, Button, InputNumber, Radio, Space, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { http } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { Link } from 'react-router';
import { codesLeft, deviceName, keepReservation, takeCode } from '../../shared/offline/codeStock';
import { printJob, renderLabel, send, type Transport, transports } from '../../shared/print/printer';
import { ErrorText } from '../../shared/ui/ErrorText';

/**
 * Labels without signal (issue 16 item 2): reserve codes for this batch while online and keep them on the phone;
 * offline, each label takes the next kept code, is drawn (QR + text) and sent to the label printer — or saved as a
 * TSPL print file where the browser reaches no printer — and the code's use is queued for the server.
 */
export function OfflineLabels({ batch }: { batch: { id: string; batchNo: string; productName: string } }) {
  const { t } = useI18n();
  const [left, setLeft] = useState<number | null>(null);
  const [count, setCount] = useState(20);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [printed, setPrinted] = useState<string | null>(null);
  const available = transports();
  const [output, setOutput] = useState<Transport | 'file'>(available[0] ?? 'file');
  const refresh = useCallback(() => {
    codesLeft(batch.id).then(setLeft, setError);
  }, [batch.id]);
  useEffect(refresh, [refresh]);

  const reserve = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await http.post('/api/v1/codes/device-reservations', {
        body: { batchId: batch.id, count, device: deviceName() },
      });
      await keepReservation(r);
      refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const print = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const got = await takeCode(batch.id);
      if (!got)
        throw new Error(
          t('本机没有预留码了，请联网后再预留', 'No codes left on this device; reserve more when online'),
        );
      const bytes = printJob(
        'tspl',
        renderLabel('40x30', got.url, [batch.productName, batch.batchNo, got.code]),
        '40x30',
        1,
      );
      if (output !== 'file') await send(output, bytes);
      else {
        // No printer reachable from this browser: the TSPL job as a file (printer utilities send it as is).
        const a = document.createElement('a');
        a.href = URL.createObjectURL(new Blob([bytes as BlobPart], { type: 'application/octet-stream' }));
        a.download = `label-${got.code}.prn`;
        a.click();
        setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
      }
      setPrinted(got.code);
      refresh();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="offline-labels">
      <Typography.Text strong>
        {t('无信号打印（本机预留码）', 'Print without signal (codes kept on this phone)')}
      </Typography.Text>
      <Typography.Text data-testid="offline-codes-left">
        {t(`本机还有 ${left ?? '…'} 个预留码`, `${left ?? '…'} codes kept on this phone`)}
      </Typography.Text>
      <Radio.Group
        size="large"
        value={output}
        onChange={(e) => setOutput(e.target.value)}
        options={[
          ...available.map((v) => ({
            value: v,
            label: v === 'bluetooth' ? t('蓝牙打印机', 'Bluetooth printer') : t('USB/串口打印机', 'USB/serial printer'),
          })),
          {
            value: 'file',
            label: (
              <span data-testid="offline-output-file">{t('保存打印文件（TSPL）', 'Save a print file (TSPL)')}</span>
            ),
          },
        ]}
      />
      <Space wrap>
        <InputNumber size="large" min={1} max={500} value={count} onChange={(v) => setCount(v ?? 1)} />
        <Button size="large" loading={busy} data-testid="offline-reserve" onClick={() => void reserve()}>
          {t('预留码存到本机', 'Reserve codes to this phone')}
        </Button>
        <Button
          type="primary"
          size="large"
          loading={busy}
          disabled={!left}
          data-testid="offline-print"
          onClick={() => void print()}
        >
          {t('用本机码打印一张', 'Print one label from a kept code')}
        </Button>
      </Space>
      {printed && (
        <Alert
          type="success"
          showIcon
          message={
            <span>
              {t('已打印，用码', 'Printed with code')} <code data-testid="offline-label-code">{printed}</code>
              {t('；联网后自动上报激活', '; reported for activation when the signal returns')}
            </span>
          }
        />
      )}
      <Link to="/field/codes" data-testid="offline-codes-manage">
        {t('查看和释放预留码', 'See and release reserved codes')}
      </Link>
      <ErrorText error={error} />
    </Space>
  );
}
