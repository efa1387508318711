/** The checks in front of `kmflow mcp --http`, alone: bind address, loopback, Host/Origin, bearer token. */
import { describe, expect, it } from 'vitest';
import { checkBearer, HeaderPolicy, isLoopbackHost, normalizeOrigin, parseBindAddress } from '../../src/mcp/http-guard.js';

describe('parseBindAddress', () => {
    it('takes HOST:PORT, [V6]:PORT and :PORT', () => {
        expect(parseBindAddress('127.0.0.1:8931')).toEqual({ host: '127.0.0.1', port: 8931 });
        expect(parseBindAddress('[::1]:0')).toEqual({ host: '::1', port: 0 });
        expect(parseBindAddress('0.0.0.0:80')).toEqual({ host: '0.0.0.0', port: 80 });
        expect(parseBindAddress(':9000')).toEqual({ host: '127.0.0.1', port: 9000 });
        expect(parseBindAddress('localhost:1')).toEqual({ host: 'localhost', port: 1 });
    });

    it('refuses anything else in one line', () => {
        for (const bad of ['8931', '127.0.0.1', '::1:80', 'host:99999', 'host:port', '']) {
            expect(() => parseBindAddress(bad)).toThrow(/--http takes HOST:PORT/);
        }
    });
});

it('isLoopbackHost: localhost, 127/8 and ::1 only', () => {
    for (const h of ['localhost', 'LOCALHOST', '127.0.0.1', '127.1.2.3', '::1', '[::1]']) {
        expect(isLoopbackHost(h), h).toBe(true);
    }
    for (const h of ['0.0.0.0', '::', '192.168.1.2', 'example.com', 'localhost.example.com', '128.0.0.1']) {
        expect(isLoopbackHost(h), h).toBe(false);
    }
});

describe('HeaderPolicy', () => {
    it('takes the bound host and the loopback names on the bound port, nothing else', () => {
        const policy = new HeaderPolicy({ host: '127.0.0.1', port: 0 }, 4000);
        for (const host of ['127.0.0.1:4000', 'localhost:4000', 'LocalHost:4000', '[::1]:4000']) {
            expect(policy.check(host, undefined), host).toBeUndefined();
        }
        for (const host of [undefined, '', 'evil.example.com:4000', '127.0.0.1:4001', '127.0.0.1', 'localhost']) {
            expect(policy.check(host, undefined)?.status, String(host)).toBe(403);
        }
    });

    it('takes an Origin of those hosts over http, or none; refuses others and "null"', () => {
        const policy = new HeaderPolicy({ host: 'localhost', port: 4000 }, 4000);
        expect(policy.check('localhost:4000', 'http://localhost:4000')).toBeUndefined();
        expect(policy.check('localhost:4000', 'http://127.0.0.1:4000')).toBeUndefined();
        for (const origin of ['http://evil.example.com', 'https://localhost:4000', 'http://localhost:4001', 'null']) {
            expect(policy.check('localhost:4000', origin)?.message, origin).toMatch(/Origin/);
        }
    });

    it('--allowed-origin adds that origin and its host', () => {
        const policy = new HeaderPolicy({ host: '127.0.0.1', port: 0 }, 4000, [normalizeOrigin('https://mcp.example.com')]);
        expect(policy.check('mcp.example.com', 'https://mcp.example.com')).toBeUndefined();
        expect(policy.check('127.0.0.1:4000', 'https://mcp.example.com')).toBeUndefined();
        expect(policy.check('127.0.0.1:4000', 'http://mcp.example.com')?.status).toBe(403);
    });

    it('on a wildcard bind takes this machine\'s addresses; port 80 may be left out', () => {
        const policy = new HeaderPolicy({ host: '0.0.0.0', port: 80 }, 80);
        expect(policy.check('127.0.0.1:80', undefined)).toBeUndefined();
        expect(policy.check('127.0.0.1', 'http://127.0.0.1')).toBeUndefined();
        expect(policy.check('evil.example.com', undefined)?.status).toBe(403);
    });
});

it('normalizeOrigin: scheme://host[:port] only', () => {
    expect(normalizeOrigin('https://App.Example.com:8443')).toBe('https://app.example.com:8443');
    expect(normalizeOrigin('https://app.example.com/')).toBe('https://app.example.com');
    for (const bad of ['app.example.com', 'ftp://x.com', 'https://x.com/path', 'https://u@x.com', 'https://x.com?q=1']) {
        expect(() => normalizeOrigin(bad), bad).toThrow(/--allowed-origin/);
    }
});

describe('checkBearer', () => {
    const token = 'a-long-enough-secret';

    it('passes the right token, case-insensitive scheme', () => {
        expect(checkBearer(`Bearer ${token}`, token)).toBeUndefined();
        expect(checkBearer(`bearer ${token}`, token)).toBeUndefined();
    });

    it('answers 401 with a Bearer challenge otherwise', () => {
        const none = checkBearer(undefined, token)!;
        expect(none.status).toBe(401);
        expect(none.headers!['WWW-Authenticate']).toBe('Bearer realm="kmflow"');
        for (const given of [`Bearer ${token}x`, 'Bearer a', `Basic ${token}`, token, `Bearer ${token} extra`, 'Bearer ']) {
            const refused = checkBearer(given, token);
            expect(refused?.status, given).toBe(401);
            expect(refused?.headers!['WWW-Authenticate'], given).toMatch(/^Bearer realm="kmflow"/);
        }
        expect(checkBearer('Bearer wrong', token)!.headers!['WWW-Authenticate']).toContain('error="invalid_token"');
    });
});
