import { CameraOutlined, VideoCameraOutlined } from '@ant-design/icons';
import { Button, Space } from 'antd';
import { useRef, useState } from 'react';
import { upload } from '../api';
import { useT } from '../i18n';
import { Attachments } from './Attachments';
import { ErrorText } from './ErrorText';

interface Saved {
  id: string;
  name: string;
  mime: string;
}

/** Shrinks a phone photo to ≤ 1600 px JPEG before upload (field signal is weak); other files go as they are. */
async function shrink(file: File): Promise<Blob> {
  if (!file.type.startsWith('image/')) return file;
  try {
    const bmp = await createImageBitmap(file);
    const scale = Math.min(1, 1600 / Math.max(bmp.width, bmp.height));
    if (scale === 1 && file.size < 1_500_000) return file;
    const c = document.createElement('canvas');
    c.width = Math.round(bmp.width * scale);
    c.height = Math.round(bmp.height * scale);
    c.getContext('2d')?.drawImage(bmp, 0, 0, c.width, c.height);
    return await new Promise<Blob>((res) => c.toBlob((b) => res(b ?? file), 'image/jpeg', 0.85));
  } catch {
    return file;
  }
}

/** Uploads a photo (purpose image) or a short MP4 video (purpose video) through the files module. */
export async function uploadMedia(file: File): Promise<Saved> {
  const video = file.type.startsWith('video/') || /\.mp4$/i.test(file.name);
  const fd = new FormData();
  fd.append('file', video ? file : await shrink(file), file.name || (video ? 'video.mp4' : 'photo.jpg'));
  const f = await upload('/api/v1/files', fd, { params: { query: { purpose: video ? 'video' : 'image' } } });
  return { id: f.id, name: f.name, mime: f.mime };
}

/**
 * Photos and short videos (MP4, ≤ 50 MB, type checked by the server) for a form field whose value is the list of
 * uploaded file ids (`photoIds`, `attachmentIds`, base `photos`).
 */
export function MediaUpload(props: { value?: string[]; onChange?: (ids: string[]) => void; testId?: string }) {
  const t = useT();
  const [saved, setSaved] = useState<Saved[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const photo = useRef<HTMLInputElement>(null);
  const video = useRef<HTMLInputElement>(null);
  const add = async (files: FileList | null) => {
    if (!files?.length) return;
    setBusy(true);
    setError(undefined);
    try {
      const next = [...saved];
      for (const f of Array.from(files)) next.push(await uploadMedia(f));
      setSaved(next);
      props.onChange?.([...(props.value ?? []), ...next.slice(saved.length).map((s) => s.id)]);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Button icon={<CameraOutlined />} loading={busy} onClick={() => photo.current?.click()}>
          {t('照片', 'Photo')}
        </Button>
        <Button icon={<VideoCameraOutlined />} loading={busy} onClick={() => video.current?.click()}>
          {t('短视频（MP4，50 MB 内）', 'Short video (MP4, ≤ 50 MB)')}
        </Button>
        <input ref={photo} hidden type="file" accept="image/*" multiple onChange={(e) => add(e.target.files)} />
        <input
          ref={video}
          hidden
          type="file"
          accept="video/mp4"
          data-testid={props.testId ? `${props.testId}-video` : undefined}
          onChange={(e) => add(e.target.files)}
        />
      </Space>
      <Attachments files={saved} height={64} />
      <ErrorText error={error} />
    </Space>
  );
}
