import { networkInterfaces } from 'node:os';
import type { Config } from './config.js';

/** The machine's IPv4 addresses that other devices on the network can reach (for the phone hint). */
export function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a?.address as string);
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[?::1\]?)$/i;

/** True when a URL points at this machine only (a phone scanning a QR code with it cannot open it). */
export function isLocalUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return LOOPBACK.test(host) || host === '0.0.0.0';
  } catch {
    return false;
  }
}

/**
 * The banner printed on every start, outside the JSON log so that a newcomer sees it: the address, the administrator's
 * password when it was just created (shown once), and — while PUBLIC_BASE_URL, which every QR code carries, points at
 * localhost — how to let phones on the same Wi-Fi reach the platform.
 */
export function startBanner(
  config: Pick<Config, 'publicBaseUrl' | 'port' | 'host'>,
  admin: { created: boolean; password?: string; fromEnv: boolean },
  lan: string[],
): string {
  const lines = [`Suyuan 溯源 is running at ${config.publicBaseUrl}`];
  if (admin.created) {
    lines.push(`Log in as: admin   password: ${admin.fromEnv ? '(the value of ADMIN_PASSWORD)' : admin.password}`);
    lines.push('首次启动已创建管理员 admin，密码仅显示这一次。Reset with: npm run cli -- reset-admin');
  }
  if (isLocalUrl(config.publicBaseUrl)) {
    const suggested = `http://${lan[0] ?? '<LAN IP of this computer>'}:${config.port}`;
    const host = LOOPBACK.test(config.host) ? ' HOST=0.0.0.0' : '';
    lines.push(
      `Phones: QR codes point at ${config.publicBaseUrl}, which a phone cannot open. On the same Wi-Fi, restart with`,
      `  PUBLIC_BASE_URL=${suggested}${host} npm start${lan.length > 1 ? `   (other addresses: ${lan.slice(1).join(', ')})` : ''}`,
      `手机扫码：二维码指向 PUBLIC_BASE_URL（现为本机地址，手机打不开）；同一 Wi-Fi 下请用 PUBLIC_BASE_URL=${suggested} 重新启动。`,
    );
  }
  return `\n  ┌─ ${lines[0]}\n${lines
    .slice(1)
    .map((l) => `  │  ${l}\n`)
    .join('')}  └─\n\n`;
}
