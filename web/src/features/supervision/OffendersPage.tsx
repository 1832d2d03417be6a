import { Card, Empty, List, Tag, Typography } from 'antd';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiQuery } from '../../shared/useApiQuery';
import { GRADE_COLORS, label } from './api';

/** 失信主体公示 The public list of repeat offenders (seed 000 art. 19: 屡教不改的，对社会公布其信用信息). No login. */
export default function OffendersPage() {
  const { t, lang } = useI18n();
  const list = useApiQuery('/api/v1/public/credit/offenders');
  return (
    <div style={{ maxWidth: 760, margin: '24px auto', padding: 12 }}>
      <Card title={t('农产品质量安全失信主体公示', 'Public list of repeat offenders')}>
        <ErrorText error={list.error} />
        {list.data && (
          <Typography.Paragraph type="secondary">
            {t(
              `近 ${list.data.policy.windowMonths} 个月内因巡查不合格、抽检不合格或行政处罚被记入诚信档案达 ${list.data.policy.repeatThreshold} 次及以上的生产经营主体。`,
              `Producers with ${list.data.policy.repeatThreshold} or more bad records (failed patrols, failed tests, penalties) in ${list.data.policy.windowMonths} months.`,
            )}
          </Typography.Paragraph>
        )}
        <List
          loading={list.isLoading}
          dataSource={list.data?.items}
          locale={{ emptyText: <Empty description={t('暂无公示主体', 'Nobody listed')} /> }}
          renderItem={(o) => (
            <List.Item data-testid="offender">
              <List.Item.Meta
                title={
                  <span style={{ fontSize: 18 }}>
                    {o.name}{' '}
                    <Tag color={GRADE_COLORS[o.grade]}>
                      {o.grade} {label(lang, o.gradeZh, o.gradeEn)}
                    </Tag>
                  </span>
                }
                description={t(
                  `不良记录 ${o.records} 次 · 主体身份码 ${o.identityCode ?? '-'} · 最近 ${new Date(o.lastAt).toLocaleDateString('zh-CN')}`,
                  `${o.records} records · ${o.identityCode ?? '-'} · last ${new Date(o.lastAt).toLocaleDateString()}`,
                )}
              />
            </List.Item>
          )}
        />
      </Card>
    </div>
  );
}
