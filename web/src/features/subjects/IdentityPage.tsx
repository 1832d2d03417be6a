import { Card } from 'antd';
import { useParams } from 'react-router';
import { get } from '../../shared/api';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useRequest } from '../../shared/useRequest';
import type { SubjectDetail } from './labels';
import { SubjectView } from './SubjectsPage';

/** /s/:code — what the identity QR opens: the profile, for a regulator whose jurisdiction contains the producer. */
export default function IdentityPage() {
  const { code } = useParams();
  const { t } = useI18n();
  const { data, error } = useRequest(() => get<SubjectDetail>(`/subjects/by-identity-code/${encodeURIComponent(code ?? '')}`), [code]);
  return (
    <Card title={`${t('主体身份码', 'Identity code')} ${code}`}>
      <ErrorText error={error} />
      {data && <SubjectView detail={data} />}
    </Card>
  );
}
