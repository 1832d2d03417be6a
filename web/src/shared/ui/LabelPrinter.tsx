import { PrinterOutlined } from '@ant-design/icons';
import { Alert, App, Button, Radio, Space } from 'antd';
import { useState } from 'react';
import { useI18n } from '../i18n';
import type { LabelSize } from '../print/labels';
import { type Protocol, printJob, renderLabel, send, type Transport, transports } from '../print/printer';

/**
 * Prints a label on a Bluetooth or USB/serial label printer (TSPL or ESC/POS, 40×30 or 60×40 mm), besides the PDF.
 * Shown where the browser can reach a printer; otherwise it says to use the PDF.
 */
export function LabelPrinter({ qrText, lines, copies = 1 }: { qrText: string; lines: string[]; copies?: number }) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const available = transports();
  const [size, setSize] = useState<LabelSize>(() => (localStorage.getItem('suyuan.labelSize') as LabelSize) || '40x30');
  const [protocol, setProtocol] = useState<Protocol>(
    () => (localStorage.getItem('suyuan.labelProtocol') as Protocol) || 'tspl',
  );
  const [busy, setBusy] = useState(false);
  if (!available.length)
    return (
      <Alert
        type="info"
        showIcon
        message={t(
          '此浏览器不能直连标签打印机（请用安卓 Chrome 或电脑 Chrome/Edge），可下载 PDF 打印',
          'This browser cannot reach a label printer (use Chrome on Android or Chrome/Edge); print the PDF instead',
        )}
      />
    );
  const print = async (via: Transport) => {
    setBusy(true);
    localStorage.setItem('suyuan.labelSize', size);
    localStorage.setItem('suyuan.labelProtocol', protocol);
    try {
      await send(via, printJob(protocol, renderLabel(size, qrText, lines), size, copies));
      message.success(t('已发送到打印机', 'Sent to the printer'));
    } catch (e) {
      if (!(e instanceof DOMException && e.name === 'NotFoundError'))
        message.error(
          t(
            `打印失败：${(e as Error).message}。请确认打印机已开机并靠近手机`,
            `Printing failed: ${(e as Error).message}`,
          ),
        );
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="label-printer">
      <Radio.Group
        size="large"
        optionType="button"
        buttonStyle="solid"
        value={size}
        onChange={(e) => setSize(e.target.value)}
        options={[
          { value: '40x30', label: '40×30 mm' },
          { value: '60x40', label: '60×40 mm' },
        ]}
      />
      <Radio.Group
        size="large"
        value={protocol}
        onChange={(e) => setProtocol(e.target.value)}
        options={[
          { value: 'tspl', label: t('TSPL 标签机', 'TSPL label printer') },
          { value: 'escpos', label: t('ESC/POS 小票机', 'ESC/POS printer') },
        ]}
      />
      <Space wrap>
        {available.map((via) => (
          <Button key={via} size="large" icon={<PrinterOutlined />} loading={busy} onClick={() => void print(via)}>
            {via === 'bluetooth' ? t('蓝牙打印', 'Print via Bluetooth') : t('USB/串口打印', 'Print via USB/serial')}
          </Button>
        ))}
      </Space>
    </Space>
  );
}
