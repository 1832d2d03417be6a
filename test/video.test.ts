/**
 * Issue 17 item 8 (seed 000 art. 3: 视频): short MP4 videos through the files module — type checked by content (the
 * `ftyp` box), size-limited, signed-in uploaders only — attached to enforcement inspections, patrols, cases and
 * production bases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, makeProducer, makeUser, multipartFile, testApp } from './helpers.js';
import { MP4 } from './media.js';

const MOV = Buffer.concat([Buffer.from([0, 0, 0, 20]), Buffer.from('ftypqt  ', 'latin1'), Buffer.alloc(8)]);

let t: TestApp;
let law: Awaited<ReturnType<typeof makeUser>>;
const up = (tok: string | null, name: string, data: Buffer, mime = 'video/mp4') =>
  t.req(tok, { method: 'POST', url: '/api/v1/files?purpose=video', ...multipartFile(name, data, mime) });

beforeAll(async () => {
  t = await testApp();
  const admin = await t.login('admin');
  law = await makeUser(t, admin, {
    username: 'ch_law',
    orgName: '从化区执法大队',
    kind: 'enforcement',
    divisionCode: '440117',
    roles: ['enforcer'],
  });
});
afterAll(() => t?.close());

describe('short videos', () => {
  it('accepts an MP4 by its bytes, refuses QuickTime, disguised files, anonymous and oversized uploads', async () => {
    const ok = await up(law.token, 'scene.mp4', MP4);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().mime).toBe('video/mp4');
    const mov = await up(law.token, 'scene.mp4', MOV);
    expect(mov.statusCode).toBe(415);
    expect(mov.json().messageEn).toContain('MP4');
    const jpg = await up(law.token, 'fake.mp4', Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex'));
    expect(jpg.statusCode).toBe(415);
    expect((await up(null, 'scene.mp4', MP4)).statusCode).toBe(401);
    const big = Buffer.concat([MP4, Buffer.alloc(50 * 1024 * 1024)]);
    expect((await up(law.token, 'long.mp4', big)).statusCode).toBe(413);
    // A video is not an image: the image purpose refuses it.
    const asImage = await t.req(law.token, {
      method: 'POST',
      url: '/api/v1/files?purpose=image',
      ...multipartFile('scene.mp4', MP4, 'video/mp4'),
    });
    expect(asImage.statusCode).toBe(415);
  });

  it('attaches to an enforcement case and plays back with its type', async () => {
    const v = (await up(law.token, 'evidence.mp4', MP4)).json().id as string;
    const c = await t.req(law.token, {
      method: 'POST',
      url: '/api/v1/enforcement-cases',
      payload: {
        partyName: '无证摊贩',
        divisionCode: '440117103',
        facts: '现场拍摄销售无合格证豇豆',
        violationType: 'other',
        attachmentIds: [v],
      },
    });
    expect(c.statusCode, c.body).toBe(201);
    expect(c.json().attachments).toEqual([{ id: v, name: 'evidence.mp4', mime: 'video/mp4' }]);
    const get = await t.req(law.token, { method: 'GET', url: `/api/v1/files/${v}` });
    expect(get.statusCode).toBe(200);
    expect(get.headers['content-type']).toContain('video/mp4');
    expect(Buffer.compare(get.rawPayload, MP4)).toBe(0);
    expect((await t.req(null, { method: 'GET', url: `/api/v1/files/${v}` })).statusCode).toBe(401);
  });

  it('attaches to a production base beside its photos; the base list names and types them; others may not read them', async () => {
    const farm = await makeProducer(t, { username: 'v_farm', name: '视频测试农场', divisionCode: '440117103' });
    const other = await makeProducer(t, { username: 'v_other', name: '另一农场', divisionCode: '440117103' });
    const v = (await up(farm.token, 'field.mp4', MP4)).json().id as string;
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
    const photo = await t.req(farm.token, {
      method: 'POST',
      url: '/api/v1/files?purpose=image',
      ...multipartFile('field.jpg', jpeg, 'image/jpeg'),
    });
    expect(photo.statusCode, photo.body).toBe(201);
    const base = await t.req(farm.token, {
      method: 'POST',
      url: '/api/v1/bases',
      payload: { name: '石南村东片', divisionCode: '440117103', photos: [photo.json().id, v] },
    });
    expect(base.statusCode, base.body).toBe(201);
    const media = [
      { id: photo.json().id, name: 'field.jpg', mime: 'image/jpeg' },
      { id: v, name: 'field.mp4', mime: 'video/mp4' },
    ];
    expect(base.json().media).toEqual(media);
    const list = await t.req(farm.token, { method: 'GET', url: '/api/v1/bases' });
    expect(list.json().find((b: { id: string }) => b.id === base.json().id).media).toEqual(media);
    const play = await t.req(farm.token, { method: 'GET', url: `/api/v1/files/${v}` });
    expect(play.statusCode).toBe(200);
    expect(play.headers['content-type']).toContain('video/mp4');
    expect([403, 404]).toContain((await t.req(other.token, { method: 'GET', url: `/api/v1/files/${v}` })).statusCode);
    // Another producer's video cannot be put on this base.
    const foreign = (await up(other.token, 'x.mp4', MP4)).json().id as string;
    const stolen = await t.req(farm.token, {
      method: 'POST',
      url: '/api/v1/bases',
      payload: { name: '石南村西片', divisionCode: '440117103', photos: [foreign] },
    });
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json().field).toBe('photos.0');
  });
});
