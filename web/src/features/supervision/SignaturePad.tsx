import { Button, Space } from 'antd';
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { useT } from '../../shared/i18n';

export interface SignaturePadHandle {
  /** The drawn signature as a PNG, or null when nothing was drawn. */
  toPng(): Promise<Blob | null>;
  clear(): void;
}

/** The responsible person signs with a finger on the phone: a canvas exported as PNG (stored as a file). */
export const SignaturePad = forwardRef<SignaturePadHandle, { height?: number }>(function SignaturePad(
  { height = 180 },
  ref,
) {
  const t = useT();
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const [empty, setEmpty] = useState(true);

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const ratio = window.devicePixelRatio || 1;
    c.width = c.clientWidth * ratio;
    c.height = height * ratio;
    const g = c.getContext('2d');
    if (!g) return;
    g.scale(ratio, ratio);
    g.lineWidth = 3;
    g.lineCap = 'round';
    g.lineJoin = 'round';
    g.strokeStyle = '#111';
  }, [height]);

  const pos = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = (e.target as HTMLCanvasElement).getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  useImperativeHandle(
    ref,
    () => ({
      toPng: () =>
        new Promise((res) =>
          empty || !canvas.current ? res(null) : canvas.current.toBlob((b) => res(b), 'image/png'),
        ),
      clear: () => {
        const c = canvas.current;
        c?.getContext('2d')?.clearRect(0, 0, c.width, c.height);
        setEmpty(true);
      },
    }),
    [empty],
  );

  return (
    <div>
      <canvas
        ref={canvas}
        data-testid="signature-pad"
        style={{
          width: '100%',
          height,
          border: '2px dashed #999',
          borderRadius: 8,
          touchAction: 'none',
          background: '#fff',
        }}
        onPointerDown={(e) => {
          drawing.current = true;
          const g = canvas.current?.getContext('2d');
          const p = pos(e);
          g?.beginPath();
          g?.moveTo(p.x, p.y);
          (e.target as HTMLCanvasElement).setPointerCapture(e.pointerId);
        }}
        onPointerMove={(e) => {
          if (!drawing.current) return;
          const g = canvas.current?.getContext('2d');
          const p = pos(e);
          g?.lineTo(p.x, p.y);
          g?.stroke();
          setEmpty(false);
        }}
        onPointerUp={() => {
          drawing.current = false;
        }}
      />
      <Space style={{ marginTop: 4 }}>
        <span style={{ color: '#888' }}>
          {empty ? t('请被检查主体负责人在框内签名', 'The responsible person signs in the box') : t('已签名', 'Signed')}
        </span>
        <Button
          size="large"
          onClick={() => {
            canvas.current?.getContext('2d')?.clearRect(0, 0, canvas.current.width, canvas.current.height);
            setEmpty(true);
          }}
        >
          {t('重签', 'Clear')}
        </Button>
      </Space>
    </div>
  );
});
