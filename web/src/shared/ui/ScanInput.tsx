import { CameraOutlined, PictureOutlined, ScanOutlined } from '@ant-design/icons';
import { Alert, App, Button, Input, type InputProps, Modal, Space } from 'antd';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n';
import { decodeImage, scanCamera } from '../scan/decode';

/** The code inside a scanned URL (`…/t/{code}`, `…/s/{code}`, `?code=`), or the text as it is. */
export function codeOf(text: string): string {
  const s = text.trim();
  try {
    const u = new URL(s);
    const q = u.searchParams.get('code');
    if (q) return q;
    const last = u.pathname.split('/').filter(Boolean).pop();
    return last ? decodeURIComponent(last) : s;
  } catch {
    return s;
  }
}

interface Props extends Omit<InputProps, 'onChange' | 'value'> {
  value?: string;
  onChange?: (value: string) => void;
  /** Called with a scanned or decoded code (reduced from a URL to the code unless `keepUrl`). */
  onScan?: (code: string) => void;
  /** Keep a scanned URL whole instead of reducing it to its last part. */
  keepUrl?: boolean;
  /** A button after the camera button (e.g. "look up"). */
  after?: ReactNode;
  testId?: string;
}

/**
 * Every input that takes a code (sell, receive, gate, patrol, lineage, lookup, activation): type it, scan it with
 * the camera, or decode it from a photo of the label. Works inside antd Form.Item (value/onChange).
 */
export function ScanInput({ value, onChange, onScan, keepUrl, after, testId = 'scan', ...rest }: Props) {
  const { t } = useI18n();
  const { message } = App.useApp();
  const [open, setOpen] = useState(false);
  const [camError, setCamError] = useState<string>();
  const video = useRef<HTMLVideoElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const accept = useRef<(text: string) => void>(() => {});
  accept.current = (text: string) => {
    const code = keepUrl ? text.trim() : codeOf(text);
    onChange?.(code);
    onScan?.(code);
    setOpen(false);
  };

  useEffect(() => {
    if (!open) return;
    let stop: (() => void) | undefined;
    let cancelled = false;
    setCamError(undefined);
    const v = video.current;
    if (!v || !navigator.mediaDevices?.getUserMedia) {
      setCamError(t('此浏览器不能打开摄像头，请用“从照片识别”', 'No camera here; use "From a photo"'));
      return;
    }
    scanCamera(v, (code) => accept.current(code))
      .then((s) => {
        if (cancelled) s();
        else stop = s;
      })
      .catch(() =>
        setCamError(
          t('无法打开摄像头（未授权或不支持），请用“从照片识别”', 'Cannot open the camera; use "From a photo"'),
        ),
      );
    return () => {
      cancelled = true;
      stop?.();
    };
  }, [open, t]);

  const fromPhoto = async (f?: File) => {
    if (!f) return;
    const text = await decodeImage(f);
    if (file.current) file.current.value = '';
    if (text) accept.current(text);
    else message.warning(t('照片里没有识别到二维码，请靠近重拍或输入码号', 'No code found; retake closer or type it'));
  };

  return (
    <>
      <Space.Compact block>
        <Input
          size="large"
          data-testid={`${testId}-input`}
          value={value}
          onChange={(e) => onChange?.(e.target.value)}
          {...rest}
        />
        <Button
          size="large"
          icon={<ScanOutlined />}
          data-testid={`${testId}-camera`}
          aria-label={t('扫码', 'Scan')}
          onClick={() => setOpen(true)}
        >
          {t('扫码', 'Scan')}
        </Button>
        {after}
      </Space.Compact>
      <input
        ref={file}
        type="file"
        accept="image/*"
        data-testid={`${testId}-photo`}
        style={{ display: 'none' }}
        onChange={(e) => void fromPhoto(e.target.files?.[0])}
      />
      <Modal
        open={open}
        onCancel={() => setOpen(false)}
        footer={null}
        destroyOnHidden
        title={
          <Space>
            <CameraOutlined />
            {t('对准二维码', 'Point at the code')}
          </Space>
        }
        width={420}
      >
        {camError ? (
          <Alert type="warning" showIcon message={camError} style={{ marginBottom: 12 }} />
        ) : (
          <video ref={video} playsInline muted style={{ width: '100%', borderRadius: 8, background: '#000' }}>
            <track kind="captions" />
          </video>
        )}
        <Button
          size="large"
          block
          icon={<PictureOutlined />}
          onClick={() => file.current?.click()}
          style={{ marginTop: 12 }}
          data-testid={`${testId}-from-photo`}
        >
          {t('从照片识别', 'From a photo')}
        </Button>
      </Modal>
    </>
  );
}
