import { useT } from '../i18n';
import { useDivisionName } from './DivisionName';

/** Provinces by their two-digit division code (GB/T 2260), to name a platform without a lookup. */
const PROVINCES: Record<string, [string, string]> = {
  '11': ['北京市', 'Beijing'],
  '12': ['天津市', 'Tianjin'],
  '13': ['河北省', 'Hebei'],
  '14': ['山西省', 'Shanxi'],
  '15': ['内蒙古自治区', 'Inner Mongolia'],
  '21': ['辽宁省', 'Liaoning'],
  '22': ['吉林省', 'Jilin'],
  '23': ['黑龙江省', 'Heilongjiang'],
  '31': ['上海市', 'Shanghai'],
  '32': ['江苏省', 'Jiangsu'],
  '33': ['浙江省', 'Zhejiang'],
  '34': ['安徽省', 'Anhui'],
  '35': ['福建省', 'Fujian'],
  '36': ['江西省', 'Jiangxi'],
  '37': ['山东省', 'Shandong'],
  '41': ['河南省', 'Henan'],
  '42': ['湖北省', 'Hubei'],
  '43': ['湖南省', 'Hunan'],
  '44': ['广东省', 'Guangdong'],
  '45': ['广西壮族自治区', 'Guangxi'],
  '46': ['海南省', 'Hainan'],
  '50': ['重庆市', 'Chongqing'],
  '51': ['四川省', 'Sichuan'],
  '52': ['贵州省', 'Guizhou'],
  '53': ['云南省', 'Yunnan'],
  '54': ['西藏自治区', 'Tibet'],
  '61': ['陕西省', 'Shaanxi'],
  '62': ['甘肃省', 'Gansu'],
  '63': ['青海省', 'Qinghai'],
  '64': ['宁夏回族自治区', 'Ningxia'],
  '65': ['新疆维吾尔自治区', 'Xinjiang'],
};

/**
 * A platform id (`national`, `province-44`, `city-4401`, `county-440117`) named for people: 国家平台 / National
 * platform, 广东省平台 / Guangdong platform; a platform below a province by its province and the division's name
 * (广东省广州市从化区县级平台 / Guangdong county platform · 广州市从化区), never by the bare region code once the name is
 * known (the code stays in the tooltip).
 */
export function PlatformName({ id }: { id: string }) {
  const t = useT();
  const [tier = '', region = ''] = id.split('-');
  const below = tier === 'city' || tier === 'county';
  const place = useDivisionName(below ? region : null);
  if (id === 'national') return <>{t('国家平台', 'National platform')}</>;
  const p = PROVINCES[region.slice(0, 2)];
  if (!p) return <span title={id}>{t(`平台 ${id}`, `Platform ${id}`)}</span>;
  if (tier === 'province') return <span title={id}>{t(`${p[0]}平台`, `${p[1]} platform`)}</span>;
  const level = tier === 'city' ? t('市级', 'city') : t('县级', 'county');
  const where = place ?? region;
  return (
    <span title={id}>
      {t(`${where.startsWith(p[0]) ? where : p[0] + where}${level}平台`, `${p[1]} ${level} platform · ${where}`)}
    </span>
  );
}
