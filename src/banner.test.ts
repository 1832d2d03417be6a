import { describe, expect, it } from 'vitest';
import { isLocalUrl, startBanner } from './banner.js';

const local = { publicBaseUrl: 'http://localhost:3000', port: 3000, host: '0.0.0.0' };

describe('start banner', () => {
  it('shows the address on every start and the password only when the administrator was just created', () => {
    const first = startBanner(local, { created: true, password: 'Xy12345678ab', fromEnv: false }, []);
    expect(first).toContain('Suyuan 溯源 is running at http://localhost:3000');
    expect(first).toContain('password: Xy12345678ab');
    const again = startBanner(local, { created: false, fromEnv: false }, []);
    expect(again).toContain('Suyuan 溯源 is running at http://localhost:3000');
    expect(again).not.toContain('password');
    expect(startBanner(local, { created: true, password: 'x', fromEnv: true }, [])).toContain(
      '(the value of ADMIN_PASSWORD)',
    );
  });

  it('tells how phones reach the platform while PUBLIC_BASE_URL is a localhost URL', () => {
    const hint = startBanner(local, { created: false, fromEnv: false }, ['192.168.1.23', '10.0.0.5']);
    expect(hint).toContain('PUBLIC_BASE_URL=http://192.168.1.23:3000 npm start');
    expect(hint).toContain('10.0.0.5');
    expect(startBanner(local, { created: false, fromEnv: false }, [])).toContain('<LAN IP of this computer>');
    expect(
      startBanner({ ...local, host: '127.0.0.1' }, { created: false, fromEnv: false }, ['192.168.1.23']),
    ).toContain('HOST=0.0.0.0');
    const lan = { publicBaseUrl: 'http://192.168.1.23:3000', port: 3000, host: '0.0.0.0' };
    expect(startBanner(lan, { created: false, fromEnv: false }, ['192.168.1.23'])).not.toContain('Phones');
  });

  it('recognises local URLs', () => {
    for (const u of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000', 'http://0.0.0.0:8080'])
      expect(isLocalUrl(u)).toBe(true);
    for (const u of ['https://trace.example.cn', 'http://192.168.1.23:3000', 'not a url'])
      expect(isLocalUrl(u)).toBe(false);
  });
});
