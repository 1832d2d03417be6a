import { App, Button, DatePicker, Drawer, Form, InputNumber, Modal, Space, Table } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useI18n } from '../../shared/i18n';
import { errorMessage } from '../../shared/ui/ErrorText';
import { useApiMutation } from '../../shared/useApiMutation';
import { useApiQuery } from '../../shared/useApiQuery';
import { useSubmit } from '../../shared/useSubmit';
import { RecordForm } from './CollectPage';
import { type OriginRecord, askReturnComment, useProducts } from './common';

/** What a change of one record refreshes: the lists, the record, its history, the deadline counts. */
const CHANGED = [
  '/api/v1/origin/records',
  '/api/v1/origin/my-records',
  '/api/v1/origin/records/{id}',
  '/api/v1/origin/records/{id}/seasons',
  '/api/v1/origin/deadlines',
] as const;

/**
 * The record's own buttons, as the server allows them (`allowedActions`): submit for review, county review
 * (approve / return with comments), and a new planting or monthly collection (新一茬 / 本月更新).
 */
export function RecordActions({ r }: { r: OriginRecord }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [season, setSeason] = useState(false);
  const [editing, setEditing] = useState(false);
  const path = { params: { path: { id: r.id } } };
  const submit = useApiMutation('post', '/api/v1/origin/records/{id}/submit', { invalidate: [...CHANGED] });
  const review = useApiMutation('post', '/api/v1/origin/records/{id}/review', { invalidate: [...CHANGED] });
  const can = (a: OriginRecord['allowedActions'][number]) => r.allowedActions.includes(a);
  const planting = useIndustry(r) === 'planting';

  async function run(fn: () => Promise<unknown>, done: string) {
    try {
      await fn();
      message.success(done);
    } catch (e) {
      message.error(errorMessage(e, lang));
    }
  }
  async function giveBack() {
    const comment = await askReturnComment(t);
    if (comment)
      await run(() => review.mutateAsync({ ...path, body: { action: 'return', comment } }), t('已退回', 'Returned'));
  }
  if (!r.allowedActions.length) return null;
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        {can('submit') && (
          <Button
            type="primary"
            loading={submit.isPending}
            onClick={() => run(() => submit.mutateAsync(path), t('已提交县级审核', 'Submitted for county review'))}
            data-testid="origin-drawer-submit"
          >
            {t('提交审核', 'Submit for review')}
          </Button>
        )}
        {can('approve') && (
          <Button
            type="primary"
            loading={review.isPending}
            onClick={() =>
              run(() => review.mutateAsync({ ...path, body: { action: 'approve' } }), t('已审核通过', 'Approved'))
            }
            data-testid="origin-drawer-approve"
          >
            {t('审核通过', 'Approve')}
          </Button>
        )}
        {can('return') && (
          <Button danger loading={review.isPending} onClick={giveBack} data-testid="origin-drawer-return">
            {t('退回', 'Return')}
          </Button>
        )}
        {can('update') && (
          <Button onClick={() => setEditing(true)} data-testid="origin-drawer-edit">
            {r.sitePending ? t('修改 / 现场补点', 'Edit / complete the point') : t('修改', 'Edit')}
          </Button>
        )}
        {can('update') && (
          <Button onClick={() => setSeason(true)} data-testid="origin-drawer-season">
            {planting ? t('采集新一茬', 'New planting') : t('本月更新', 'Monthly update')}
          </Button>
        )}
      </Space>
      {season && <SeasonModal r={r} planting={planting} onClose={() => setSeason(false)} />}
      {editing && (
        <Drawer
          open
          title={t('修改采集记录', 'Edit the record')}
          onClose={() => setEditing(false)}
          width={Math.min(720, typeof window === 'undefined' ? 720 : window.innerWidth)}
          destroyOnHidden
        >
          <RecordForm record={r} onSaved={() => setEditing(false)} />
        </Drawer>
      )}
    </>
  );
}

const useIndustry = (r: OriginRecord) => useProducts().data?.products.find((p) => p.code === r.productCode)?.industry;

interface SeasonForm {
  planting?: [Dayjs | null, Dayjs | null] | null;
  market?: [Dayjs | null, Dayjs | null] | null;
  scale?: number | null;
}
const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);
const date = (s: string | null) => (s ? dayjs(s) : null);

/** A new planting / monthly collection: the current one goes to the history, the record re-enters review. */
function SeasonModal({ r, planting, onClose }: { r: OriginRecord; planting: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<SeasonForm>();
  const create = useApiMutation('post', '/api/v1/origin/records/{id}/seasons', { invalidate: [...CHANGED] });
  const submit = useSubmit(
    form,
    (v) =>
      create.mutateAsync({
        params: { path: { id: r.id } },
        body: {
          plantedOn: day(v.planting?.[0]),
          harvestOn: day(v.planting?.[1]),
          // the market period is kept unless changed here (it starts filled with the current one)
          ...(v.market ? { marketStart: day(v.market[0]), marketEnd: day(v.market[1]) } : {}),
          ...(v.scale != null ? { scale: v.scale } : {}),
        },
      }),
    { onSuccess: onClose, successMessage: t('已采集，待县级审核', 'Collected; awaiting county review') },
  );
  return (
    <Modal
      open
      title={planting ? t('采集新一茬', 'Collect a new planting') : t('本月更新', 'Monthly update')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okButtonProps={{ loading: submit.submitting, 'data-testid': 'origin-season-ok' } as never}
      width={Math.min(480, typeof window === 'undefined' ? 480 : window.innerWidth - 16)}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit.onFinish}
        initialValues={{
          scale: r.scale,
          market: r.marketStart || r.marketEnd ? [date(r.marketStart), date(r.marketEnd)] : undefined,
        }}
      >
        {planting && (
          <Form.Item
            name="planting"
            label={t('定植—采收时间', 'Planted – harvest')}
            rules={[{ required: true, message: t('种植业每茬须填写定植时间', 'A crop needs its planting date') }]}
          >
            <DatePicker.RangePicker allowEmpty={[false, true]} style={{ width: '100%' }} />
          </Form.Item>
        )}
        <Form.Item name="scale" label={t(`规模（${r.unitName}）`, `Scale (${r.unitNameEn})`)}>
          <InputNumber min={0} style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="market" label={t('上下市时间', 'On the market')}>
          <DatePicker.RangePicker allowEmpty={[true, true]} style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Earlier plantings / monthly collections of a record (往茬、往月). */
export function SeasonHistory({ id }: { id: string }) {
  const { t } = useI18n();
  const { data } = useApiQuery('/api/v1/origin/records/{id}/seasons', { params: { path: { id } } });
  if (!data?.items.length) return null;
  return (
    <Table
      rowKey="seasonNo"
      size="small"
      pagination={false}
      style={{ marginTop: 12 }}
      title={() => t('历次采集', 'Earlier collections')}
      dataSource={data.items}
      data-testid="origin-seasons"
      columns={[
        { title: t('次', 'No.'), dataIndex: 'seasonNo', width: 44 },
        {
          title: t('定植—采收', 'Planted – harvest'),
          render: (_, s) => (s.plantedOn || s.harvestOn ? `${s.plantedOn ?? '—'} ~ ${s.harvestOn ?? '—'}` : '—'),
        },
        { title: t('规模', 'Scale'), dataIndex: 'scale' },
        { title: t('采集', 'Collected'), render: (_, s) => s.collectedAt.slice(0, 10) },
      ]}
    />
  );
}
