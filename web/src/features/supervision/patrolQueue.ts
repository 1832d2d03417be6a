import { type ApiBody, type ApiItem, http } from '../../shared/api';
import { type QueueItem, type QueueStep, submitQueued } from '../../shared/offline/queue';
import type { Gps } from './PatrolParts';

/**
 * Patrols through the offline queue (issue 16). A patrol started online has its id; one started without signal is a
 * draft made from the checklist templates kept on the device, and its "start" is queued with the submission. Photos
 * the signature and short videos stay on the device as files until they are sent, in the same queued item.
 */
export type Template = ApiItem<'/api/v1/patrol-templates'>;
export type Target = NonNullable<ApiBody<'post', '/api/v1/patrols'>['target']>;
type Submission = ApiBody<'post', '/api/v1/patrols/{id}/submit'>;
export interface Draft {
  /** null: started offline, the server's id comes from the queued start. */
  id: string | null;
  identityCode: string;
  target: Target;
  templateId?: string;
  subjectName: string;
  templateName: string;
  templateNameEn: string;
  templateItems: Template['items'];
}

const TEMPLATES_KEY = 'suyuan.patrolTemplates';

/** Refreshes the templates kept on the device (when there is signal). */
export async function refreshTemplates(): Promise<void> {
  const page = await http.get('/api/v1/patrol-templates', { params: { query: { pageSize: 100 } } });
  localStorage.setItem(TEMPLATES_KEY, JSON.stringify(page.items));
}
export function cachedTemplate(target: Target): Template | undefined {
  try {
    const list = JSON.parse(localStorage.getItem(TEMPLATES_KEY) ?? '[]') as Template[];
    return list.find((t) => t.target === target);
  } catch {
    return undefined;
  }
}

/** A draft patrol from the kept template, for a code scanned without signal. */
export function offlineDraft(identityCode: string, target: Target): Draft | null {
  const tpl = cachedTemplate(target);
  if (!tpl) return null;
  return {
    id: null,
    identityCode,
    target,
    templateId: tpl.id,
    subjectName: identityCode,
    templateName: tpl.nameZh,
    templateNameEn: tpl.nameEn,
    templateItems: tpl.items,
  };
}

/**
 * Queues the patrol (uploads, the start if offline, the submission) and tries to send it now. Resolves with the
 * queue item: `sent` (results.submit is the patrol), `waiting` (kept on the device). A refusal while online is
 * thrown as the server's problem (the form shows it) and the item is dropped, so fixing and resubmitting is one step.
 */
export async function queuePatrol(
  draft: Draft,
  submission: Omit<Submission, 'photoIds' | 'videoIds' | 'signatureFileId'>,
  photos: Blob[],
  signature: Blob,
  gps: Gps,
  videos: File[] = [],
): Promise<QueueItem> {
  const steps: QueueStep[] = photos.map((blob, i) => ({
    name: `photo${i}`,
    method: 'POST',
    path: '/api/v1/files?purpose=image',
    file: { blob, name: `photo${i}.jpg` },
  }));
  // Short videos (≤ 50 MB each, at most 3) are kept on the device with the photos until there is signal.
  for (const [i, blob] of videos.entries())
    steps.push({
      name: `video${i}`,
      method: 'POST',
      path: '/api/v1/files?purpose=video',
      file: { blob, name: blob.name || `video${i}.mp4` },
    });
  steps.push({
    name: 'signature',
    method: 'POST',
    path: '/api/v1/files?purpose=image',
    file: { blob: signature, name: 'signature.png' },
  });
  if (!draft.id)
    steps.push({
      name: 'start',
      method: 'POST',
      path: '/api/v1/patrols',
      body: { identityCode: draft.identityCode, target: draft.target, templateId: draft.templateId, ...(gps ?? {}) },
    });
  steps.push({
    name: 'submit',
    method: 'POST',
    path: draft.id ? `/api/v1/patrols/${draft.id}/submit` : '/api/v1/patrols/{start.id}/submit',
    body: {
      ...submission,
      photoIds: photos.map((_, i) => ({ $ref: `photo${i}.id` })),
      ...(videos.length ? { videoIds: videos.map((_, i) => ({ $ref: `video${i}.id` })) } : {}),
      signatureFileId: { $ref: 'signature.id' },
    },
  });
  return submitQueued(
    'patrol',
    `巡查 ${draft.subjectName}`,
    `Patrol ${draft.subjectName}`,
    steps,
    draft.id ? `/supervision/patrols?id=${draft.id}` : '/supervision/patrols',
  );
}
