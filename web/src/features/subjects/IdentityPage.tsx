import { Card } from 'antd';
import { useParams } from 'react-router';
import { useI18n } from '../../shared/i18n';
import { ErrorText } from '../../shared/ui/ErrorText';
import { useApiQuery } from '../../shared/useApiQuery';
import { SubjectView } from './SubjectsPage';

/** /s/:code — what the identity QR opens: the profile, for a regulator whose jurisdiction contains the producer. */
export default function IdentityPage() {
  const { code = '' } = useParams();
  const { t } = useI18n();
  // The look-up by identity code is what the server logs (查询留痕); the profile then loads by id.
  const { data, error } = useApiQuery('/api/v1/subjects/by-identity-code/{code}', { params: { path: { code } } });
  return (
    <Card title={`${t('主体身份码', 'Identity code')} ${code}`}>
      <ErrorText error={error} />
      {data && <SubjectView id={data.id} />}
    </Card>
  );
}
