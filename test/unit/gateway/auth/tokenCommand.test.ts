import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { AUTH_DEFAULTS } from '../../../../gateway/auth/authConfig';
import { createTokenVerifier } from '../../../../gateway/auth/createTokenVerifier';
import { REPO_ROOT } from '../../../support/repoRoot';

const ROOT = REPO_ROOT;
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const verify = createTokenVerifier(AUTH_DEFAULTS);

/** `npm run token -- ...args`, without npm's banner. */
async function token(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, NODE_ENV: 'development', TOKEN_ISSUER: '', TOKEN_AUDIENCE: '' };
  try {
    const { stdout, stderr } = await promisify(execFile)(TSX, ['bin/token.ts', ...args], { cwd: ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe('npm run token', () => {
  it('prints an officer token the development gateway accepts, and only the token on stdout', async () => {
    const run = await token('--court', '浙0106', '--officer', '浙0106-007', '--role', 'query', '--role', 'control', '--ttl', '2h');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(run.stderr).toContain('DEVELOPMENT token for officer 浙0106-007 of court 浙0106, roles query, control');
    expect(await verify(`Bearer ${run.stdout.trim()}`)).toEqual({
      kind: 'court',
      court: '浙0106',
      officer: '浙0106-007',
      roles: ['query', 'control'],
      tokenId: expect.any(String),
    });
    const { exp, iat } = JSON.parse(Buffer.from(run.stdout.split('.')[1]!, 'base64url').toString()) as { exp: number; iat: number };
    expect(exp - iat).toBe(2 * 3600);
  });

  it("prints a search service's officer token with its purpose, and says so", async () => {
    const run = await token('--court', '浙0106', '--officer', '浙0106-007', '--role', 'query', '--purpose', 'FOLLOW_UP');
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('DEVELOPMENT token for officer 浙0106-007 of court 浙0106, roles query, purpose FOLLOW_UP;');
    expect(await verify(`Bearer ${run.stdout.trim()}`)).toEqual({
      kind: 'court',
      court: '浙0106',
      officer: '浙0106-007',
      roles: ['query'],
      purpose: 'FOLLOW_UP',
      tokenId: expect.any(String),
    });
  });

  it('documents --purpose and its values in the usage text', async () => {
    const run = await token();
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('[--purpose <SWEEP|FOLLOW_UP>]');
  });

  it('prints a citizen token', async () => {
    const run = await token('--citizen', '330106197504189356');
    expect(run.code).toBe(0);
    expect(await verify(`Bearer ${run.stdout.trim()}`)).toEqual({ kind: 'citizen', idNumber: '330106197504189356', tokenId: expect.any(String) });
  });

  it.each([
    [['--court', '浙0106', '--officer', '浙0106-007'], 'a court officer\'s token needs --court, --officer and at least one --role'],
    [['--court', '浙0106', '--officer', '浙0106-007', '--role', 'admin'], 'The court officer token\'s claims are not valid: "roles.0" must be one of query, control, supervise.'],
    [['--citizen', '330106197504189357'], 'The citizen token\'s claims are not valid: "sub" IdNumber check character (the 18th) does not match the first 17 digits.'],
    [['--citizen', '330106197504189356', '--role', 'query'], '--citizen takes no --court, --officer, --role or --purpose'],
    [['--citizen', '330106197504189356', '--purpose', 'SWEEP'], '--citizen takes no --court, --officer, --role or --purpose'],
    [['--court', '浙0106', '--officer', '浙0106-007', '--role', 'query', '--purpose', 'NIGHTLY'], 'The court officer token\'s claims are not valid: "purpose" must be one of SWEEP, FOLLOW_UP, or absent for an officer\'s own request.'],
    [['--citizen', '330106197504189356', '--ttl', '30d'], '--ttl must be a duration such as 30m, 8h or 2d, at most 7d; got 30d'],
  ])('refuses %p with exit code 2 and no token', async (args, message) => {
    const run = await token(...args);
    expect(run).toEqual({ code: 2, stdout: '', stderr: expect.stringContaining(`${message}\nusage:`) });
  });
});
