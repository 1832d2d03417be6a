import type { Actor, Ctx } from '../../kernel/context.js';
import { namesOf } from '../regions/service.js';

/** A platform named for people: 国家平台 / 广东省平台 / 从化区平台, and in English (the place below a province in Chinese). */
const PROVINCES_EN: Record<string, string> = {
  '11': 'Beijing',
  '12': 'Tianjin',
  '13': 'Hebei',
  '14': 'Shanxi',
  '15': 'Inner Mongolia',
  '21': 'Liaoning',
  '22': 'Jilin',
  '23': 'Heilongjiang',
  '31': 'Shanghai',
  '32': 'Jiangsu',
  '33': 'Zhejiang',
  '34': 'Anhui',
  '35': 'Fujian',
  '36': 'Jiangxi',
  '37': 'Shandong',
  '41': 'Henan',
  '42': 'Hubei',
  '43': 'Hunan',
  '44': 'Guangdong',
  '45': 'Guangxi',
  '46': 'Hainan',
  '50': 'Chongqing',
  '51': 'Sichuan',
  '52': 'Guizhou',
  '53': 'Yunnan',
  '54': 'Tibet',
  '61': 'Shaanxi',
  '62': 'Gansu',
  '63': 'Qinghai',
  '64': 'Ningxia',
  '65': 'Xinjiang',
  '71': 'Taiwan',
  '81': 'Hong Kong',
  '82': 'Macao',
};

/** The Chinese and English names of the platform of `tier` serving `region` ('' = national). */
export async function namePlatform(
  ctx: Ctx<Actor | null>,
  tier: string,
  region: string,
): Promise<{ zh: string; en: string }> {
  if (!region) return { zh: '国家平台', en: 'the national platform' };
  const province = region.slice(0, 2);
  const names = await namesOf(ctx, [province, region]);
  const zh = names.get(region);
  const provinceEn = PROVINCES_EN[province] ?? province;
  return {
    zh: zh ? `${zh}平台` : `${region} 平台`,
    // Below a province the division has no English name here: the place is named in Chinese, never by its bare code.
    en: tier === 'province' ? `the ${provinceEn} platform` : `the ${tier} platform of ${zh ?? region} (${provinceEn})`,
  };
}

/** The same by platform id (`province-51`, `national`). */
export function namePlatformId(ctx: Ctx<Actor | null>, platformId: string) {
  const [tier = 'national', region = ''] = platformId.split('-');
  return namePlatform(ctx, tier, region);
}
