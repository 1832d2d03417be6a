import { FileOutlined } from '@ant-design/icons';
import { Space } from 'antd';

interface FileRef {
  id: string;
  name: string;
  mime: string;
}

/** Attached files: photos as thumbnails, short videos (MP4) as players, anything else as a download link. */
export function Attachments({ files, height = 96 }: { files: readonly FileRef[]; height?: number }) {
  if (!files.length) return null;
  return (
    <Space wrap data-testid="attachments">
      {files.map((f) => {
        const url = `/api/v1/files/${f.id}`;
        if (f.mime.startsWith('image/'))
          return (
            <a key={f.id} href={url} target="_blank" rel="noreferrer">
              <img src={url} alt={f.name} style={{ height, maxWidth: '100%', borderRadius: 4 }} />
            </a>
          );
        if (f.mime.startsWith('video/'))
          return (
            // biome-ignore lint/a11y/useMediaCaption: field videos have no captions
            <video
              key={f.id}
              src={url}
              controls
              preload="metadata"
              data-testid="video"
              style={{ height: height * 2, maxWidth: '100%', borderRadius: 4, background: '#000' }}
            />
          );
        return (
          <a key={f.id} href={url} target="_blank" rel="noreferrer">
            <FileOutlined /> {f.name}
          </a>
        );
      })}
    </Space>
  );
}
